import { useState } from 'preact/hooks';
import {
  api,
  ApiError,
  type ImportError,
  type ImportKind,
  type ImportPreview,
  type ImportResult,
} from '../api.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { readCsvHeader } from './csv-header.js';
import { guessColumns, IMPORT_KINDS } from './import-fields.js';
import { PreviewReport } from './preview-report.js';

/**
 * CSV import in three steps: choose what and which file, say which column holds which field, preview
 * (every bad row with its line number and reason), then import all rows or none.
 */
export function ImportTab() {
  const notify = useNotify();
  const [kind, setKind] = useState<ImportKind>('companies');
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [rejected, setRejected] = useState<ImportError[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const fields = IMPORT_KINDS[kind].fields;
  const missing = fields.filter((f) => f.required && !columns[f.field]);

  const reset = () => {
    setResult(null);
    setPreview(null);
    setRejected(null);
  };
  const chooseKind = (next: ImportKind) => {
    setKind(next);
    setColumns(guessColumns(next, headers));
    reset();
  };
  const chooseFile = async (chosen: File | null) => {
    setFile(chosen);
    reset();
    const found = chosen ? await readCsvHeader(chosen) : [];
    setHeaders(found);
    setColumns(guessColumns(kind, found));
  };

  const runPreview = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    reset();
    try {
      setPreview(await api.imports.preview(kind, file, columns));
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const done = await api.imports.commit(kind, file, columns, skipInvalid);
      notify(`Imported ${done.imported} ${IMPORT_KINDS[kind].label.toLowerCase()}.`, 'success');
      setResult(done);
      setFile(null);
      setHeaders([]);
      reset();
    } catch (e) {
      // All or nothing: a refused import wrote no row, and says which rows were bad.
      const errors = e instanceof ApiError ? errorsOf(e.body) : null;
      if (errors) setRejected(errors);
      notify(`Nothing was imported: ${messageOf(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="panel import">
      <form onSubmit={runPreview} class="import-form">
        <div class="inline-form">
          <label>
            Import
            <select value={kind} onChange={(e) => chooseKind(e.currentTarget.value as ImportKind)}>
              {(Object.keys(IMPORT_KINDS) as ImportKind[]).map((k) => (
                <option key={k} value={k}>
                  {IMPORT_KINDS[k].label}
                </option>
              ))}
            </select>
          </label>
          <label>
            CSV file
            <input
              type="file"
              accept=".csv,text/csv"
              required
              onChange={(e) => void chooseFile(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
        </div>
        {headers.length > 0 && (
          <fieldset class="columns">
            <legend>Which column holds each field?</legend>
            {fields.map((f) => (
              <label key={f.field}>
                {f.label}
                {f.required ? ' (required)' : ''}
                <select
                  value={columns[f.field] ?? ''}
                  onChange={(e) => {
                    setColumns({ ...columns, [f.field]: e.currentTarget.value });
                    reset();
                  }}
                >
                  <option value="">{f.required ? 'Choose a column…' : 'Not in this file'}</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy || !file || missing.length > 0} aria-describedby="preview-why">
          Preview
        </button>
        {(!file || missing.length > 0) && (
          <p id="preview-why" class="muted small" aria-live="polite">
            {!file
              ? 'Preview needs a CSV file.'
              : `Preview needs a column for: ${missing.map((f) => f.label).join(', ')}.`}
          </p>
        )}
      </form>
      {preview && preview.errors.length > 0 && (
        <label class="check">
          <input
            type="checkbox"
            checked={skipInvalid}
            onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
          />
          Import the {preview.valid} valid rows and skip the {preview.errors.length} bad ones (you can
          download them to fix)
        </label>
      )}
      {preview && (
        <PreviewReport
          preview={preview}
          busy={busy}
          skipInvalid={skipInvalid}
          onImport={() => void commit()}
        />
      )}
      {result && <ImportOutcome result={result} />}
      {rejected && rejected.length > 0 && (
        <div role="alert" class="form-error">
          <p>The import was refused; nothing was written. Bad rows:</p>
          <ul>
            {rejected.map((r) => (
              <li key={r.line}>
                Line {r.line}: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const errorsOf = (body: unknown): ImportError[] | null =>
  body && typeof body === 'object' && 'errors' in body && Array.isArray(body.errors)
    ? (body.errors as ImportError[])
    : null;

/** What an import did, in words: every number of the result explained, and the skipped rows to fetch. */
function ImportOutcome({ result }: { result: ImportResult }) {
  const skipped = result.skipped;
  const href =
    skipped && skipped.rows > 0 ? URL.createObjectURL(new Blob([skipped.csv], { type: 'text/csv' })) : null;
  return (
    <div class="import-outcome" role="status" aria-label="Import result">
      <p>
        <strong>{result.imported}</strong> rows imported: <strong>{result.created}</strong> created new
        records and <strong>{result.updated}</strong> changed existing ones (matched by name).
        {skipped && (
          <>
            {' '}
            <strong>{skipped.rows}</strong> bad rows were skipped and nothing was written for them.
          </>
        )}
      </p>
      {href && (
        <a href={href} download="skipped-rows.csv">
          Download the {skipped?.rows} skipped rows
        </a>
      )}
    </div>
  );
}
