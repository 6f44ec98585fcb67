/**
 * The floor: the least a server can do for a durable Set unit count on this machine, to measure
 * Tally against in the same run. `node:http`, JSON, tokens in a Map, and per count the previous
 * value, the current value, a history row and the build-state bump as prepared better-sqlite3
 * statements, group-committed (one transaction per turn of the event loop) on WAL with
 * `synchronous=FULL`; the 201 goes out after the commit. No validation beyond what a count needs,
 * no rate limit, no logging, no metrics, no mapping checks.
 *
 *   node --import tsx bench/floor-server.ts <sqlite file> <tokens.json> <port>
 * tokens.json: { "<GRADIENT-TOKEN>": "<integration id>", … }. Prints "listening" when ready.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const [file, tokensFile, portText] = process.argv.slice(2);
if (!file || !tokensFile || !portText) throw new Error('usage: floor-server <db> <tokens.json> <port>');
const tokens = new Map(
  Object.entries(JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>),
);

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`
  create table if not exists floor_counts (integration_id text, account_id text, service_id text,
    unit_count real not null, revision integer not null, updated_at_ms integer not null,
    primary key (integration_id, account_id, service_id));
  create table if not exists floor_history (id integer primary key, integration_id text, account_id text,
    service_id text, at_ms integer, unit_count real, previous_unit_count real, revision integer);
  create table if not exists floor_states (integration_id text primary key, revision integer not null);
`);
const ensureState = db.prepare('insert or ignore into floor_states (integration_id, revision) values (?, 0)');
for (const id of new Set(tokens.values())) ensureState.run(id);

const previous = db
  .prepare(
    'select unit_count from floor_counts where integration_id = ? and account_id = ? and service_id = ?',
  )
  .pluck();
const bump = db
  .prepare('update floor_states set revision = revision + 1 where integration_id = ? returning revision')
  .pluck();
const put = db.prepare(`insert into floor_counts values (?, ?, ?, ?, ?, ?)
  on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
    revision = excluded.revision, updated_at_ms = excluded.updated_at_ms`);
const history = db.prepare('insert into floor_history values (null, ?, ?, ?, ?, ?, ?, ?)');

interface Pending {
  integrationId: string;
  accountId: string;
  serviceId: string;
  unitCount: number;
  res: ServerResponse;
}

let queue: Pending[] = [];
const commit = db.transaction((batch: Pending[], nowMs: number) =>
  batch.map((p) => {
    const before = previous.get(p.integrationId, p.accountId, p.serviceId) as number | undefined;
    const revision = bump.get(p.integrationId) as number;
    put.run(p.integrationId, p.accountId, p.serviceId, p.unitCount, revision, nowMs);
    history.run(p.integrationId, p.accountId, p.serviceId, nowMs, p.unitCount, before ?? null, revision);
    return { previousUnitCount: before ?? null, revision };
  }),
);

function flush(): void {
  const batch = queue;
  queue = [];
  const results = commit(batch, Date.now());
  batch.forEach((p, i) => {
    const body = JSON.stringify({
      status: 201,
      data: { accountId: p.accountId, serviceId: p.serviceId, unitCount: p.unitCount, ...results[i] },
    });
    p.res.writeHead(201, { 'content-type': 'application/json' }).end(body);
  });
}

const answer = (res: ServerResponse, status: number) => res.writeHead(status).end();

function handle(req: IncomingMessage, res: ServerResponse): void {
  const match = /^\/api\/vendor-api\/service\/([^/]+)\/count$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !match) return void answer(res, 404);
  const integrationId = tokens.get(String(req.headers['gradient-token']));
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (!integrationId) return answer(res, 401);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      accountId: string;
      unitCount: number;
    };
    if (queue.length === 0) setImmediate(flush);
    queue.push({
      integrationId,
      accountId: String(body.accountId),
      serviceId: match[1] as string,
      unitCount: body.unitCount,
      res,
    });
  });
}

createServer(handle).listen(Number(portText), '127.0.0.1', () => process.stdout.write('listening\n'));
