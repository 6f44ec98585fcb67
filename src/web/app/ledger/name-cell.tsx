import { useState } from 'preact/hooks';

/** A name in a table row that turns into a text box to rename it. */
export function NameCell({
  name,
  label,
  onSave,
}: {
  name: string;
  label: string;
  onSave: (name: string) => Promise<boolean>;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  if (!editing) {
    return (
      <th scope="row">
        {name}{' '}
        <button
          type="button"
          class="link small"
          onClick={() => {
            setValue(name);
            setEditing(true);
          }}
          aria-label={`Rename ${name}`}
        >
          Rename
        </button>
      </th>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onSave(value.trim())) setEditing(false);
  };
  return (
    <th scope="row">
      <form class="inline-form" onSubmit={submit}>
        <input
          aria-label={label}
          required
          maxLength={200}
          autoFocus
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Save
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    </th>
  );
}
