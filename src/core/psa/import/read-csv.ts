import { parse } from 'csv-parse';
import { type Readable, Transform, pipeline } from 'node:stream';
import { type LineError, TallyError, badRequest } from '../../errors.js';

/** One data record of the file and the line it ends on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A problem with one line of the file. */
export type { LineError } from '../../errors.js';

/** Passes bytes through until there are too many. */
const byteLimit = (maxBytes: number): Transform => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) {
        done(
          new TallyError('payload_too_large', `The CSV file is larger than the limit of ${maxBytes} bytes`),
        );
      } else {
        done(null, chunk);
      }
    },
  });
};

/**
 * Reads a CSV file record by record, as it arrives: memory stays flat whatever the file size. The
 * first record is the header. A record the parser cannot read (a stray quote, say) is reported
 * through `onBadRecord` and skipped; an unreadable end of file (an unclosed quote) ends the reading
 * with one last error. The source is not destroyed on failure, so the caller can still answer.
 */
export async function* readCsv(
  source: Readable,
  maxBytes: number,
  onBadRecord: (error: LineError) => void,
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      onBadRecord({ line: lineOf(error), reason: error?.message ?? 'Unreadable record' });
      return undefined;
    },
  });
  const limiter = byteLimit(maxBytes);
  source.on('error', (error) => limiter.destroy(error));
  source.pipe(limiter);
  pipeline(limiter, parser, () => {
    // Failures surface through the iteration below.
  });
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { line: info.lines, fields: record };
    }
  } catch (error) {
    if (error instanceof TallyError) throw error;
    onBadRecord({ line: lineOf(error), reason: (error as Error).message });
  } finally {
    source.unpipe(limiter);
  }
}

const lineOf = (error: unknown): number => {
  const lines = (error as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : 0;
};

/** The first record, which names the columns. */
export async function readHeader(records: AsyncGenerator<CsvRecord>): Promise<string[]> {
  const first = await records.next();
  if (first.done)
    throw badRequest('The CSV file is empty; it needs a header row and then one row per record');
  return first.value.fields;
}
