/** Enough of the file to hold its header row, however wide. */
const HEAD_BYTES = 64 * 1024;

/**
 * The column names of a CSV file, read from its first row only, so a file of tens of megabytes is
 * never loaded into the page (the upload itself streams the file).
 */
export async function readCsvHeader(file: Blob): Promise<string[]> {
  const text = (await file.slice(0, HEAD_BYTES).text()).replace(/^\uFEFF/, '');
  return parseFirstRow(text);
}

/** The first record of CSV text, with RFC 4180 quoting ("a ""b""", commas and newlines inside quotes). */
export function parseFirstRow(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  fields.push(field.trim());
  // A column without a name cannot be chosen for a field.
  return fields.filter((f) => f !== '');
}
