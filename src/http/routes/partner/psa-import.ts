import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Readable } from 'node:stream';
import { TallyError } from '../../../core/errors.js';
import { commitImport } from '../../../core/psa/import/commit-import.js';
import { IMPORT_KINDS } from '../../../core/psa/import/fields.js';
import { previewImport } from '../../../core/psa/import/preview-import.js';
import type { HttpDeps } from '../../deps.js';
import { FileErrorReply, described, errors } from '../../schemas/common.js';
import { ImportCommitted, ImportPreview } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

const CSV_TYPES = ['text/csv', 'application/csv'];
const COLUMN_PREFIX = 'column.';

/** `column.<field>=<header>` query parameters as field → header. */
const columnMap = (query: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(query)
      .filter(([key]) => key.startsWith(COLUMN_PREFIX))
      .map(([key, header]) => [key.slice(COLUMN_PREFIX.length), String(header)]),
  );

/**
 * CSV import of companies, products and agreement lines. The body is never buffered: it reaches the
 * import as a stream and is read row by row, so a file of tens of megabytes costs little memory.
 */
export function partnerImportRoutes(app: TypedApp, deps: HttpDeps): void {
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // In this scope only, every body passes through as the raw stream (no size limit, no parsing).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.post(
      '/api/partner/psa/import/:kind',
      {
        onRequest: partnerAuth(deps),
        schema: {
          tags: ['Partner: PSA'],
          security: PARTNER_SECURITY,
          operationId: 'importPsaCsv',
          summary: 'Import companies, products or agreement lines from CSV',
          description:
            'Body: the CSV file as text/csv, header row first. mode=preview (default) checks every row and ' +
            'answers { rows, valid, errors: [{ line, reason }], sample }; mode=commit imports all rows or none ' +
            '(400 with every error). Columns are found by header name, ignoring case; column.<field>=<header> ' +
            'maps a differently named one. Rows name existing records by name: a company or product with ' +
            'the same name is updated (products take the price and cost), and a later row about the same ' +
            'record wins.',
          params: Type.Object({ kind: Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k))) }),
          querystring: Type.Object(
            {
              mode: Type.Optional(Type.Union([Type.Literal('preview'), Type.Literal('commit')])),
            },
            { additionalProperties: Type.String({ maxLength: 200 }) },
          ),
          response: {
            200: described('mode=preview: what the file holds', ImportPreview),
            201: described('mode=commit: every row was imported', ImportCommitted),
            400: FileErrorReply,
            ...errors(401, 403, 413, 415),
          },
        },
      },
      async (request, reply) => {
        try {
          const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
          if (!(request.body instanceof Readable) || !CSV_TYPES.includes(type)) {
            throw new TallyError(
              'unsupported_media_type',
              'Send the CSV file as the body, with Content-Type: text/csv',
            );
          }
          const query = request.query;
          const input = {
            partnerId: partnerOf(request).id,
            kind: request.params.kind,
            source: request.body,
            columns: columnMap(query),
            maxBytes: deps.config.importMaxBytes,
          };
          if (query.mode !== 'commit') return await previewImport(deps.ctx, input);
          return reply.code(201).send(await commitImport(deps.ctx, input));
        } catch (error) {
          // The rest of the upload may still be on its way; closing the connection drops it.
          if (!request.raw.readableEnded) reply.header('connection', 'close');
          throw error;
        }
      },
    );
  });
}
