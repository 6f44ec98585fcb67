import type { PartnerUser } from '../../../core/model.js';
import { table } from '../../support/output.js';

/** A created user and, when Tally made it up, the password (shown this once). */
export interface CreatedUser {
  user: PartnerUser;
  generatedPassword: string | null;
}

/** The user part of a command's --json output. */
export const userJson = ({ user, generatedPassword }: CreatedUser) => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  ...(generatedPassword !== null && { password: generatedPassword }),
});

/** The same for a person. */
export const userLines = ({ user, generatedPassword }: CreatedUser): string[] => [
  `User ${user.email} can sign in to the web UI${generatedPassword === null ? ' with the password given.' : ':'}`,
  ...table([
    ['userId', user.id],
    ['email', user.email],
    ...(generatedPassword === null ? [] : ([['password', generatedPassword]] as [string, string][])),
  ]),
  ...(generatedPassword === null ? [] : ['The password was generated and is shown only now; note it.']),
];
