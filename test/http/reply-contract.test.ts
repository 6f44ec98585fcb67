import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdRepliesToContract } from '../support/reply-contract.js';

const Thing = Type.Object({ name: Type.String(), at: Type.String({ format: 'date-time' }) });

/** An app with one honest route and three that break their declared contract. */
async function appWithWrongReplies() {
  const app = Fastify();
  const schema = { response: { 200: Thing } };
  app.get('/right', { schema }, async () => ({ name: 'a', at: '2026-11-02T09:00:00.000Z' }));
  app.get('/undeclared-status', { schema }, async (_request, reply) =>
    reply.code(202 as never).send({} as never),
  );
  app.get('/wrong-shape', { schema }, async () => ({ name: 'a', at: 'yesterday' }));
  app.get('/dropped-property', { schema }, async () => ({
    name: 'a',
    at: '2026-11-02T09:00:00.000Z',
    extra: 1,
  }));
  const violations = holdRepliesToContract(app);
  await app.ready();
  return { app, violations };
}

test('the reply-contract hook passes a declared reply and bites on each kind of wrong one', async () => {
  const { app, violations } = await appWithWrongReplies();
  try {
    const right = await app.inject('/right');
    assert.equal(right.statusCode, 200);
    assert.equal(violations.length, 0);

    const undeclared = await app.inject('/undeclared-status');
    assert.equal(undeclared.statusCode, 500);
    assert.match(undeclared.json().message, /status 202 is not declared/);

    const wrongShape = await app.inject('/wrong-shape');
    assert.equal(wrongShape.statusCode, 500);
    assert.match(wrongShape.json().message, /must match format "date-time"/);

    const dropped = await app.inject('/dropped-property');
    assert.equal(dropped.statusCode, 500);
    assert.match(dropped.json().message, /changed the body/);

    assert.deepEqual(
      violations.map((v) => [v.route, v.status]),
      [
        ['GET /undeclared-status', 202],
        ['GET /wrong-shape', 200],
        ['GET /dropped-property', 200],
      ],
    );
  } finally {
    await app.close();
  }
});
