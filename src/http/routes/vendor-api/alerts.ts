import { Type } from '@sinclair/typebox';
import { itemId } from '../../../core/accounts/create-items.js';
import { ALERT_PRIORITY_RANGE, ALERT_STATUS_RANGE, createAlert } from '../../../core/alerts/create-alert.js';
import { getAlertStatus } from '../../../core/alerts/get-alert-status.js';
import { isoTime } from '../../../core/clock.js';
import type { AlertRecord } from '../../../core/ports.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { AlertCreated, AlertDebug } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { integrationOf, vendorAuth } from '../../vendor-auth.js';

/** What a missing priority or status means (docs/vendor-api.md §4.8). */
const DEFAULT_PRIORITY = 1;
const DEFAULT_STATUS = 1;

const VendorRef = Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()]);
const AlertBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 1000 }),
  description: Type.String({ maxLength: 100_000 }),
  alertId: VendorRef,
  // Optional with a default: the validator fills in 1 when the field is missing.
  priority: Type.Optional(
    Type.Integer({
      minimum: ALERT_PRIORITY_RANGE.min,
      maximum: ALERT_PRIORITY_RANGE.max,
      default: DEFAULT_PRIORITY,
      description: '1 low, 2 medium, 3 high, 4 very high',
    }),
  ),
  status: Type.Optional(
    Type.Integer({
      minimum: ALERT_STATUS_RANGE.min,
      maximum: ALERT_STATUS_RANGE.max,
      default: DEFAULT_STATUS,
    }),
  ),
  dueDateTime: Type.Optional(Type.String({ format: 'date-time' })),
  serviceId: Type.Optional(VendorRef),
});

/** The debug view of an alert: where its ticket stands. */
const presentDebug = (a: AlertRecord) => {
  const errors = a.errorsJson === null ? [] : (JSON.parse(a.errorsJson) as string[]);
  const success = a.status === 'success';
  return {
    ticketId: a.ticketId,
    createdAt: success && a.processedAtMs !== null ? isoTime(a.processedAtMs) : null,
    message:
      a.status === 'pending'
        ? 'Alert is queued for ticket creation'
        : success
          ? 'Ticket created'
          : (errors[0] ?? 'Ticket could not be created'),
    messageId: a.messageId,
    status: a.status,
    statusCode: a.statusCode,
    errors,
  };
};

/** Routes 18–19: vendor alerts become partner tickets asynchronously; debug shows how that went. */
export function alertsRoutes(app: TypedApp, deps: HttpDeps): void {
  // Authentication runs before the body is validated: the contract answers 401 ahead of 400.
  const onRequest = vendorAuth(deps, 'integration');
  const tags = ['Alerts'];
  const security = [{ GradientToken: [] }];

  app.post(
    '/api/vendor-api/alerting/:accountId',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'createAlert',
        summary: 'Create Alert',
        description:
          'Queues an alert for a mapped account; it becomes a ticket on the partner side shortly after. ' +
          'Follow it with the debug route and the returned messageId.',
        params: Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: AlertBody,
        response: {
          201: described('Queued; follow it with the debug route', AlertCreated),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const alert = await createAlert(deps.ctx, {
        integration: integrationOf(request),
        accountId: request.params.accountId,
        alertId: itemId(body.alertId),
        title: body.title,
        description: body.description,
        priority: body.priority ?? DEFAULT_PRIORITY,
        status: body.status ?? DEFAULT_STATUS,
        dueAtMs: body.dueDateTime === undefined ? null : Date.parse(body.dueDateTime),
        serviceId: body.serviceId === undefined ? null : itemId(body.serviceId),
      });
      return reply
        .code(201)
        .send({ messageId: alert.messageId, alertId: alert.alertId, correlationID: alert.correlationId });
    },
  );

  app.get(
    '/api/vendor-api/alerting/debug/:messageId',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getAlertDebug',
        summary: 'Get Alert Debug Info',
        description:
          'status is pending, success (with ticketId and createdAt) or failed (with statusCode, errors).',
        params: Type.Object({ messageId: Type.String({ maxLength: 256 }) }),
        response: {
          200: described('Where the ticket stands', AlertDebug),
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (request) => {
      const { messageId } = request.params;
      return presentDebug(await getAlertStatus(deps.ctx, integrationOf(request).id, messageId));
    },
  );
}
