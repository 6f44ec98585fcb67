import { useState } from 'preact/hooks';
import { api, type Agreement, type Company, type Product } from '../api.js';

interface Props {
  agreements: Agreement[];
  companies: Company[];
  products: Product[];
  busy: boolean;
  run: (work: () => Promise<unknown>, success?: string) => Promise<boolean>;
}

/** Adds a line to an agreement: which product, how many. */
export function NewLine({ agreements, companies, products, busy, run }: Props) {
  const [agreementId, setAgreementId] = useState('');
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const companyName = new Map(companies.map((c) => [c.id, c.name]));

  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await run(
      () => api.lines.create({ agreementId, productId, quantity: Number(quantity), active: true }),
      'Line added.',
    );
    if (done) setQuantity('1');
  };

  return (
    <form class="inline-form titled" onSubmit={submit} aria-labelledby="new-line-title">
      <h3 id="new-line-title">Add a line</h3>
      <label>
        Agreement
        <select required value={agreementId} onChange={(e) => setAgreementId(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {agreements.map((a) => (
            <option key={a.id} value={a.id}>
              {companyName.get(a.companyId) ?? a.companyId} — {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Product
        <select required value={productId} onChange={(e) => setProductId(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Quantity
        <input
          type="number"
          class="qty"
          min="0"
          step="any"
          required
          value={quantity}
          onInput={(e) => setQuantity(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        Add line
      </button>
    </form>
  );
}
