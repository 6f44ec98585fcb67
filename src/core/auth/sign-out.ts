import type { CoreContext } from '../context.js';
import { hashKey } from './keys.js';

/** Ends the session of this cookie token; an unknown or expired one is already signed out. */
export async function signOut(ctx: CoreContext, sessionToken: string): Promise<void> {
  await ctx.store.deleteSession(hashKey(sessionToken));
}
