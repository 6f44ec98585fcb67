import { useState } from 'preact/hooks';
import { DeleteButton, useDeletion } from './deletion.js';
import { api, type Product } from '../api.js';
import { formatMoney } from '../format.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

interface Draft {
  name: string;
  unitPrice: string;
  unitCost: string;
}

const toDraft = (p?: Product): Draft => ({
  name: p?.name ?? '',
  unitPrice: p ? String(p.unitPrice) : '',
  unitCost: p ? String(p.unitCost) : '',
});

const fromDraft = (d: Draft) => ({
  name: d.name.trim(),
  unitPrice: d.unitPrice === '' ? 0 : Number(d.unitPrice),
  unitCost: d.unitCost === '' ? 0 : Number(d.unitCost),
});

/** What the partner bills per unit, and what a unit costs it: the money behind every card. */
export function ProductsTab() {
  const products = useLoad(() => api.products.list(), []);
  const { busy, run } = useAction(products.reload);
  const [draft, setDraft] = useState<Draft>(toDraft());
  const [editing, setEditing] = useState<{ id: string; draft: Draft } | null>(null);
  const deletion = useDeletion<Product>({
    consequence:
      'The product leaves your ledger. One that agreement lines or mapped vendor services still use cannot be deleted until they are removed.',
    onConfirm: (record) => void run(() => api.products.remove(record.id), `Deleted ${record.name}.`),
  });

  const add = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.products.create(fromDraft(draft)), `Added ${draft.name.trim()}.`))
      setDraft(toDraft());
  };
  const save = async (event: Event) => {
    event.preventDefault();
    if (editing && (await run(() => api.products.update(editing.id, fromDraft(editing.draft)))))
      setEditing(null);
  };

  return (
    <div class="panel">
      <form class="inline-form" onSubmit={add}>
        <DraftFields draft={draft} onChange={setDraft} prefix="New product" />
        <button type="submit" class="primary" disabled={busy}>
          Add product
        </button>
      </form>
      {products.data?.length === 0 && <p class="empty">No products yet.</p>}
      {products.data && products.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Unit price
              </th>
              <th scope="col" class="num">
                Unit cost
              </th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {products.data.map((p) =>
              editing?.id === p.id ? (
                <tr key={p.id}>
                  <td colSpan={4}>
                    <form class="inline-form" onSubmit={save}>
                      <DraftFields
                        draft={editing.draft}
                        onChange={(d) => setEditing({ id: p.id, draft: d })}
                        prefix={p.name}
                      />
                      <button type="submit" class="primary" disabled={busy}>
                        Save
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  </td>
                </tr>
              ) : (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td class="num">{formatMoney(p.unitPrice)}</td>
                  <td class="num">{formatMoney(p.unitCost)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      onClick={() => setEditing({ id: p.id, draft: toDraft(p) })}
                      aria-label={`Edit ${p.name}`}
                    >
                      Edit
                    </button>
                    <DeleteButton name={p.name} disabled={busy} onClick={() => deletion.ask(p)} />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {deletion.dialog}
    </div>
  );
}

function DraftFields({
  draft,
  onChange,
  prefix,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  prefix: string;
}) {
  const field = (key: keyof Draft) => (e: { currentTarget: HTMLInputElement }) =>
    onChange({ ...draft, [key]: e.currentTarget.value });
  return (
    <>
      <label>
        Name
        <input
          required
          maxLength={200}
          value={draft.name}
          onInput={field('name')}
          aria-label={`${prefix}: name`}
        />
      </label>
      <label>
        Unit price
        <input
          type="number"
          min="0"
          step="any"
          value={draft.unitPrice}
          onInput={field('unitPrice')}
          aria-label={`${prefix}: unit price`}
        />
      </label>
      <label>
        Unit cost
        <input
          type="number"
          min="0"
          step="any"
          value={draft.unitCost}
          onInput={field('unitCost')}
          aria-label={`${prefix}: unit cost`}
        />
      </label>
    </>
  );
}
