import type { ImportPreview } from '../api.js';

const values = (v: Record<string, unknown> | undefined): string =>
  Object.entries(v ?? {})
    .map(([k, x]) => `${k} ${String(x)}`)
    .join(', ');

/** What the valid rows would do: created, changed from → to, unchanged, and rows naming a record twice. */
function Changes({ changes }: { changes: NonNullable<ImportPreview['changes']> }) {
  return (
    <div class="import-changes">
      <p>
        Would create <strong>{changes.created}</strong>, change <strong>{changes.changed}</strong>, leave{' '}
        <strong>{changes.unchanged}</strong> unchanged
        {changes.duplicates > 0 && (
          <>
            ; <strong class="warn">{changes.duplicates}</strong> rows repeat a record named earlier in the
            file (the later row wins)
          </>
        )}
        .
      </p>
      {changes.examples.length > 0 && (
        <table class="list" aria-label="Changed and repeated rows">
          <thead>
            <tr>
              <th scope="col" class="num">
                Line
              </th>
              <th scope="col">Record</th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {changes.examples.map((e) => (
              <tr key={e.line}>
                <td class="num">{e.line}</td>
                <td>{e.record}</td>
                <td>
                  {e.change === 'changed'
                    ? `${values(e.from)} → ${values(e.to)}`
                    : `repeats line ${e.sameAsLine}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** What an import would do: how many rows are good, which are not and why, and a sample. */
export function PreviewReport({
  preview,
  busy,
  onImport,
  skipInvalid = false,
}: {
  preview: ImportPreview;
  busy: boolean;
  onImport: () => void;
  /** The partner chose to import the valid rows and skip the bad ones. */
  skipInvalid?: boolean;
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
      {preview.changes && <Changes changes={preview.changes} />}
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
      {bad > 0 && skipInvalid ? (
        <button type="button" class="primary" disabled={busy || preview.valid === 0} onClick={onImport}>
          Import {preview.valid} {preview.valid === 1 ? 'row' : 'rows'}, skip {bad}
        </button>
      ) : bad > 0 ? (
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
