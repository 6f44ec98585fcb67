/**
 * Holds every reply a test server sends to what its route declares: the status must be one the route
 * lists under `response`, and a JSON body must match that status's schema. The serializer quietly
 * drops properties a schema does not list, so the hook also compares what the handler answered with
 * what went out. A reply that breaks the contract becomes a 500 naming the problem, and is kept in
 * `violations` so the harness can fail the suite even when a test ignores the status.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDeepStrictEqual } from 'node:util';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export interface ReplyViolation {
  route: string;
  status: number;
  problem: string;
}

const ANSWERED = Symbol('answered');
type Answered = FastifyRequest & { [ANSWERED]?: unknown };

/** Installs the hook on an app whose routes are registered but which is not listening yet. */
export function holdRepliesToContract(app: FastifyInstance): ReplyViolation[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  const validatorOf = (schema: object) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const violations: ReplyViolation[] = [];

  app.addHook('preSerialization', async (request, _reply, payload) => {
    (request as Answered)[ANSWERED] = payload;
    return payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const schema = request.routeOptions.schema;
    // Unknown routes (the 404 handler) and hidden ones (health, metrics, web assets) are not API.
    if (request.routeOptions.url === undefined || !schema || schema.hide) return payload;
    const route = `${request.method} ${request.routeOptions.url}`;
    const status = reply.statusCode;
    const responses = (schema.response ?? {}) as Record<string, object>;
    const declared = responses[String(status)];
    const fail = (problem: string) => {
      violations.push({ route, status, problem });
      reply.code(500).type('application/json; charset=utf-8');
      return JSON.stringify({
        statusCode: 500,
        message: `Reply breaks the contract of ${route}: ${problem}`,
      });
    };
    if (!declared) return fail(`status ${status} is not declared`);
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json')) return payload;
    if (typeof payload !== 'string') return payload;
    const sent: unknown = payload === '' ? null : JSON.parse(payload);
    const validate = validatorOf(declared);
    if (!validate(sent)) return fail(`status ${status} body: ${ajv.errorsText(validate.errors)}`);
    const answered = (request as Answered)[ANSWERED];
    if (answered !== undefined) {
      const asJson: unknown = JSON.parse(JSON.stringify(answered));
      if (!isDeepStrictEqual(asJson, sent)) {
        return fail(
          `the response schema changed the body: answered ${JSON.stringify(asJson)}, sent ${payload}`,
        );
      }
    }
    return payload;
  });
  return violations;
}
