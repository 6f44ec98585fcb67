import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../deps.js';

export function partnerBillingRoutes(_app: FastifyInstance, _deps: HttpDeps): void {}
