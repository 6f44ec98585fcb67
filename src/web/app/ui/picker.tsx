import { useMemo, useRef, useState } from 'preact/hooks';

export interface PickerOption {
  value: string;
  label: string;
}

interface Props {
  id: string;
  options: PickerOption[];
  value: string;
  onChange: (value: string) => void;
  /** Options shown at most while typing; hundreds of companies stay quick to scan. */
  limit?: number;
}

/** Case, accents and punctuation do not matter when filtering: "smith sons" finds "Smith & Sons, Inc.". */
const fold = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * A searchable choice for long lists (a combobox): type to filter, ↑/↓ to move, Enter to choose,
 * Escape to close and keep the current choice. The label points at the input through `id`.
 */
export function Picker({ id, options, value, onChange, limit = 50 }: Props) {
  const current = options.find((o) => o.value === value)?.label ?? '';
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const open = text !== null;
  const shown = useMemo(() => {
    if (text === null) return [];
    const words = fold(text).split(' ').filter(Boolean);
    return options.filter((o) => words.every((w) => fold(o.label).includes(w))).slice(0, limit);
  }, [options, text, limit]);
  const listId = `${id}-options`;

  const close = () => {
    setText(null);
    setActive(0);
  };
  const choose = (option: PickerOption | undefined) => {
    close();
    if (option && option.value !== value) onChange(option.value);
  };

  return (
    <div class="picker">
      <input
        ref={input}
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        value={open ? text : current}
        onFocus={() => setText('')}
        onBlur={() => close()}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open) setText('');
            setActive((i) => Math.min(i + 1, Math.max(shown.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (open) choose(shown[active]);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            close();
          }
        }}
      />
      {open && (
        <ul role="listbox" id={listId}>
          {shown.length === 0 && <li class="muted small">No match</li>}
          {shown.map((o, i) => (
            <li
              key={o.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // Chosen on mousedown, before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(o);
              }}
            >
              {o.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
