import type { ImportPreview } from '../api.js';

/** What an import would do: how many rows are good, which are not and why, and a sample. */
export function PreviewReport({
  preview,
  busy,
  onImport,
}: {
  preview: ImportPreview;
  busy: boolean;
  onImport: () => void;
}) {
  const bad = preview.errors.length;
  const columns = [...new Set(preview.sample.flatMap((row) => Object.keys(row)))];
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p>
        {preview.rows} {preview.rows === 1 ? 'row' : 'rows'} read, <strong>{preview.valid} valid</strong>
        {bad > 0 && (
          <>
            , <strong class="loss">{bad} with errors</strong>
          </>
        )}
        .
      </p>
      {bad > 0 && (
        <table class="list errors" aria-label="Rows with errors">
          <thead>
            <tr>
              <th scope="col" class="num">
                Line
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {preview.errors.map((e) => (
              <tr key={`${e.line}:${e.reason}`}>
                <td class="num">{e.line}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.sample.length > 0 && (
        <table class="list sample" aria-label="Sample of valid rows">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{String(row[c] ?? '')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bad > 0 ? (
        <p class="form-error">
          Nothing will be imported while any row is bad: fix the file and preview it again.
        </p>
      ) : (
        <button type="button" class="primary" disabled={busy || preview.valid === 0} onClick={onImport}>
          Import {preview.valid} {preview.valid === 1 ? 'row' : 'rows'}
        </button>
      )}
    </section>
  );
}
