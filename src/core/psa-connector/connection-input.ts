import { badRequest } from '../errors.js';
import { requirePsaSite, requirePsaUrl } from './site-url.js';

/** What a partner sends to connect ConnectWise PSA. */
export interface ConnectWiseInput {
  kind: 'connectwise';
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

/** What a partner sends to connect HaloPSA (an API application of type client credentials). */
export interface HaloInput {
  kind: 'halo';
  /** The resource server, e.g. https://acme.halopsa.com. */
  site: string;
  /** The authorisation server; `{site}/auth` when not given (Halo's hosted default). */
  authUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Only hosted multi-tenant instances need it. */
  tenant?: string;
}

/** What a partner sends to connect Datto Autotask (an API-only user). */
export interface AutotaskInput {
  kind: 'autotask';
  username: string;
  secret: string;
  integrationCode: string;
  /** Where the zone is looked up; Autotask's own address when not given (a sandbox or a test fake). */
  site?: string;
  /** Tally's share of the 10,000 requests an hour Autotask allows per database (default 2,000). */
  requestsPerHour?: number;
  /** Requests at once (Autotask allows 3 per endpoint; default 2). */
  maxInFlight?: number;
}

export type PsaConnectionInput = ConnectWiseInput | HaloInput | AutotaskInput;

/** Autotask's zone lookup, the same for every database. */
export const AUTOTASK_ZONE_SITE = 'https://webservices.autotask.net';
export const AUTOTASK_DEFAULT_REQUESTS_PER_HOUR = 2_000;
export const AUTOTASK_DEFAULT_MAX_IN_FLIGHT = 2;
/** Autotask's own limits: per database an hour, and per endpoint at once. */
export const AUTOTASK_HOURLY_LIMIT = 10_000;
export const AUTOTASK_THREAD_LIMIT = 3;

/** A connection as it is stored: where, whose, the settings anyone may see, and the secrets to seal. */
export interface ConnectionParts {
  input: PsaConnectionInput;
  site: string;
  account: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

const required = (value: string, field: string) => {
  const trimmed = value.trim();
  if (trimmed === '') throw badRequest(`${field} must not be blank`);
  return trimmed;
};

const wholeIn = (value: number | undefined, field: string, min: number, max: number, fallback: number) => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
};

/**
 * Checks and trims what the partner sent, and splits it into what is stored in the open and what is
 * sealed. Addresses must be https (plain http only to loopback) and off private networks unless the
 * operator allows them.
 */
export function connectionParts(input: PsaConnectionInput, allowPrivateNetwork: boolean): ConnectionParts {
  switch (input.kind) {
    case 'connectwise': {
      const clean: ConnectWiseInput = {
        kind: 'connectwise',
        site: requirePsaSite(input.site, allowPrivateNetwork),
        companyId: required(input.companyId, 'companyId'),
        publicKey: required(input.publicKey, 'publicKey'),
        privateKey: required(input.privateKey, 'privateKey'),
        clientId: required(input.clientId, 'clientId'),
      };
      return {
        input: clean,
        site: clean.site,
        account: clean.companyId,
        settings: { clientId: clean.clientId },
        secrets: { publicKey: clean.publicKey, privateKey: clean.privateKey },
      };
    }
    case 'halo': {
      const site = requirePsaSite(input.site, allowPrivateNetwork);
      const tenant = input.tenant?.trim() ?? '';
      const clean: HaloInput = {
        kind: 'halo',
        site,
        authUrl: requirePsaUrl(input.authUrl?.trim() || `${site}/auth`, 'authUrl', allowPrivateNetwork),
        clientId: required(input.clientId, 'clientId'),
        clientSecret: required(input.clientSecret, 'clientSecret'),
        ...(tenant !== '' && { tenant }),
      };
      return {
        input: clean,
        site,
        account: clean.clientId,
        settings: {
          authUrl: clean.authUrl as string,
          ...(clean.tenant !== undefined && { tenant: clean.tenant }),
        },
        secrets: { clientSecret: clean.clientSecret },
      };
    }
    case 'autotask': {
      const clean: AutotaskInput = {
        kind: 'autotask',
        site: requirePsaSite(input.site?.trim() || AUTOTASK_ZONE_SITE, allowPrivateNetwork),
        username: required(input.username, 'username'),
        secret: required(input.secret, 'secret'),
        integrationCode: required(input.integrationCode, 'integrationCode'),
        requestsPerHour: wholeIn(
          input.requestsPerHour,
          'requestsPerHour',
          1,
          AUTOTASK_HOURLY_LIMIT,
          AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
        ),
        maxInFlight: wholeIn(
          input.maxInFlight,
          'maxInFlight',
          1,
          AUTOTASK_THREAD_LIMIT,
          AUTOTASK_DEFAULT_MAX_IN_FLIGHT,
        ),
      };
      return {
        input: clean,
        site: clean.site as string,
        account: clean.username,
        settings: {
          requestsPerHour: String(clean.requestsPerHour),
          maxInFlight: String(clean.maxInFlight),
        },
        secrets: { secret: clean.secret, integrationCode: clean.integrationCode },
      };
    }
  }
}
