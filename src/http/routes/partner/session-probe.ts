import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { authenticatePartner } from '../../../core/auth/authenticate-partner.js';
import { TallyError } from '../../../core/errors.js';
import type { HttpDeps } from '../../deps.js';
import { SESSION_COOKIE } from '../../partner-auth.js';
import { ErrorReply } from './reply-schemas.js';

const Named = Type.Object({ id: Type.String(), name: Type.String() });

/**
 * Whether the browser has a live session, answered 200 either way: the web UI asks on every page
 * load, and a 401 there would be logged by the browser as an error although nobody is signed in yet.
 */
export function partnerSessionProbeRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/partner/session/probe',
    {
      schema: {
        operationId: 'probeSession',
        tags: ['Partner: session'],
        summary: 'Whether a session is open (200 either way)',
        description: 'signedIn false without a live session cookie; otherwise the user and partner.',
        response: {
          200: Type.Union([
            Type.Object({ signedIn: Type.Literal(false) }),
            Type.Object({
              signedIn: Type.Literal(true),
              user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
              partner: Named,
            }),
          ]),
          500: ErrorReply,
        },
      },
    },
    async (request) => {
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (sessionToken === undefined) return { signedIn: false as const };
      try {
        const { user, partner } = await authenticatePartner(deps.ctx, { sessionToken });
        if (!user) return { signedIn: false as const };
        return {
          signedIn: true as const,
          user: { id: user.id, email: user.email, name: user.name },
          partner: { id: partner.id, name: partner.name },
        };
      } catch (error) {
        if (error instanceof TallyError && error.code === 'unauthorized') return { signedIn: false as const };
        throw error;
      }
    },
  );
}
