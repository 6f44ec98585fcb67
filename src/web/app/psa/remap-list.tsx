import { PSA_NAMES } from '../../../core/model.js';
import { api } from '../api.js';
import { hrefOf } from '../router.js';
import { useLoad } from '../ui/use-load.js';

/** After a switch of PSA: the mappings whose company or product the new PSA has under no single name. */
export function RemapList({ stamp }: { stamp: string }) {
  const remap = useLoad(() => api.psa.toRemap(), [stamp]);
  const rows = remap.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div class="panel psa-remap" role="region" aria-label="Mappings to remap">
      <h2>Mappings to remap</h2>
      <p>
        These vendor accounts and services still point at rows of the PSA you used before. Their cards cannot
        be written until you map them again on the Mapping screen.
      </p>
      <table>
        <thead>
          <tr>
            <th>Vendor</th>
            <th>Maps</th>
            <th>To (old PSA)</th>
            <th>Same name in the new PSA</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.integrationId}.${r.kind}.${r.itemId}`}>
              <td>
                <a href={hrefOf('mapping', r.integrationId)}>{r.vendorName}</a>
              </td>
              <td>
                {r.kind === 'account' ? 'account' : 'service'} “{r.itemName}”
              </td>
              <td>
                {r.target.name} <span class="muted small">({PSA_NAMES[r.target.psa]})</span>
              </td>
              <td>
                {r.candidates.length === 0
                  ? 'none'
                  : `${r.candidates.length} rows named “${r.candidates[0]?.name ?? ''}”: choose one`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
