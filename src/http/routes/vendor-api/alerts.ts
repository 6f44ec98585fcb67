import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { itemId } from '../../../core/accounts/create-items.js';
import { ALERT_PRIORITY_RANGE, ALERT_STATUS_RANGE, createAlert } from '../../../core/alerts/create-alert.js';
import { getAlertStatus } from '../../../core/alerts/get-alert-status.js';
import { isoTime } from '../../../core/clock.js';
import type { AlertRecord } from '../../../core/ports.js';
import type { HttpDeps } from '../../deps.js';
import { integrationOf, vendorAuth } from '../../vendor-auth.js';

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
      default: 1,
      description: '1 low, 2 medium, 3 high, 4 very high',
    }),
  ),
  status: Type.Optional(
    Type.Integer({ minimum: ALERT_STATUS_RANGE.min, maximum: ALERT_STATUS_RANGE.max, default: 1 }),
  ),
  dueDateTime: Type.Optional(Type.String({ format: 'date-time' })),
  serviceId: Type.Optional(VendorRef),
});

type AlertBodyT = {
  title: string;
  description: string;
  alertId: string | number;
  priority: number;
  status: number;
  dueDateTime?: string;
  serviceId?: string | number;
};

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
export function alertsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  // Authentication runs before the body is validated: the contract answers 401 ahead of 400.
  const onRequest = vendorAuth(deps, 'integration');
  const tags = ['Alerts'];

  app.post(
    '/api/vendor-api/alerting/:accountId',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Create Alert',
        description:
          'Queues an alert for a mapped account; it becomes a ticket on the partner side shortly after. ' +
          'Follow it with the debug route and the returned messageId.',
        params: Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: AlertBody,
      },
    },
    async (request, reply) => {
      const body = request.body as AlertBodyT;
      const alert = await createAlert(deps.ctx, {
        integration: integrationOf(request),
        accountId: (request.params as { accountId: string }).accountId,
        alertId: itemId(body.alertId),
        title: body.title,
        description: body.description,
        priority: body.priority,
        status: body.status,
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
        summary: 'Get Alert Debug Info',
        description:
          'status is pending, success (with ticketId and createdAt) or failed (with statusCode, errors).',
        params: Type.Object({ messageId: Type.String({ maxLength: 256 }) }),
      },
    },
    async (request) => {
      const { messageId } = request.params as { messageId: string };
      return presentDebug(await getAlertStatus(deps.ctx, integrationOf(request).id, messageId));
    },
  );
}
