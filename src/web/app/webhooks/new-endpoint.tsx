import { useState } from 'preact/hooks';

/** The add-endpoint form: URL, description and the event types to receive. */
export function NewEndpoint({
  eventTypes,
  busy,
  onCreate,
}: {
  eventTypes: string[];
  busy: boolean;
  onCreate: (endpoint: { url: string; description: string; eventTypes: string[] }) => Promise<boolean>;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>(['billing.built']);
  const toggle = (type: string) =>
    setChosen((c) => (c.includes(type) ? c.filter((t) => t !== type) : [...c, type]));
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onCreate({ url, description, eventTypes: chosen })) {
      setUrl('');
      setDescription('');
    }
  };
  return (
    <form class="panel" aria-labelledby="new-endpoint-title" onSubmit={submit}>
      <h2 id="new-endpoint-title">Add an endpoint</h2>
      <label>
        URL
        <input
          type="url"
          required
          value={url}
          placeholder="https://billing.example.com/hooks/tally"
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </label>
      <label>
        Description
        <input type="text" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>Events</legend>
        {eventTypes.map((type) => (
          <label key={type} class="check">
            <input type="checkbox" checked={chosen.includes(type)} onChange={() => toggle(type)} />
            <code>{type}</code>
          </label>
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={busy || chosen.length === 0}>
        Add endpoint
      </button>
    </form>
  );
}
