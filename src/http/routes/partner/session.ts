import { Type } from '@sinclair/typebox';
import { signIn } from '../../../core/auth/sign-in.js';
import { signOut } from '../../../core/auth/sign-out.js';
import { TallyError, forbidden, unauthorized } from '../../../core/errors.js';
import { changePassword } from '../../../core/users/change-password.js';
import type { Partner, PartnerUser } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { NoContent, described, errors } from '../../schemas/common.js';
import { Session } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, SESSION_COOKIE, partnerAuth, partnerOf } from '../../partner-auth.js';

const presentSession = (user: PartnerUser, partner: Partner) => ({
  user: { id: user.id, email: user.email, name: user.name },
  partner: { id: partner.id, name: partner.name },
});

/** Sign-in, who is signed in, and sign-out for the web UI's session cookie. */
export function partnerSessionRoutes(app: TypedApp, deps: HttpDeps): void {
  const tags = ['Partner: session'];

  app.post(
    '/api/partner/session',
    {
      schema: {
        tags,
        operationId: 'signIn',
        summary: 'Sign in',
        description:
          'Checks the email and password and sets the HttpOnly session cookie `tally_session`. Failures are a ' +
          'bare 401; repeated failures from one address block it for a while (403).',
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: {
          200: described('Signed in; the cookie is set', Session),
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
    async (request, reply) => {
      // The same guessing guard as the vendor API: too many failures from one address block it.
      await deps.guard.checkAddress(request.ip);
      const { email, password } = request.body;
      const lifetimeMs = deps.config.sessionLifetimeMs;
      const signedIn = await signIn(deps.ctx, { email, password, lifetimeMs }).catch(
        async (error: unknown) => {
          if (error instanceof TallyError && error.code === 'unauthorized')
            await deps.guard.recordAuthFailure(request.ip);
          throw error;
        },
      );
      reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        // Relative, so the browser's clock and the server's need not agree.
        maxAge: Math.floor(lifetimeMs / 1000),
      });
      return presentSession(signedIn.user, signedIn.partner);
    },
  );

  app.get(
    '/api/partner/session',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags,
        operationId: 'getSession',
        summary: 'The signed-in user',
        description: '401 without a live session cookie (a bearer token is not a signed-in user).',
        security: PARTNER_SECURITY,
        response: { 200: described('The user and the partner', Session), ...errors(401, 403) },
      },
    },
    async (request) => {
      if (!request.partnerUser) throw unauthorized();
      return presentSession(request.partnerUser, partnerOf(request));
    },
  );

  app.delete(
    '/api/partner/session',
    {
      schema: {
        tags,
        operationId: 'signOut',
        summary: 'Sign out',
        description: 'Ends the session and clears the cookie; 204 either way.',
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token !== undefined) await signOut(deps.ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/partner/session/password',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags,
        operationId: 'changePassword',
        summary: 'Change the signed-in user’s password',
        description:
          'Needs the current password. Every other session of the user ends; this one stays. A bearer token ' +
          'is not a user, so it gets 403.',
        security: PARTNER_SECURITY,
        body: Type.Object(
          {
            currentPassword: Type.String({ maxLength: 1024 }),
            newPassword: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: NoContent, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = request.partnerUser;
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (!user || sessionToken === undefined) throw forbidden('Sign in as a user to change a password');
      const { currentPassword, newPassword } = request.body;
      await changePassword(deps.ctx, { user, sessionToken, currentPassword, newPassword });
      return reply.code(204).send(null);
    },
  );
}
