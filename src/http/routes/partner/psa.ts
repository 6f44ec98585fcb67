import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../deps.js';

export function partnerPsaRoutes(_app: FastifyInstance, _deps: HttpDeps): void {}
