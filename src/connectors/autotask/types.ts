/** The fields Tally reads and sends of Autotask entities (REST API v1.0; see psa-apis.md §2). */

/** The largest page Autotask serves, and the most values one `in` condition may hold. */
export const AT_MAX_RECORDS = 500;
export const AT_MAX_IN_VALUES = 500;

/** Contracts.contractType of a Recurring Service contract, and Contracts.status of an active one. */
export const AT_RECURRING_SERVICE_CONTRACT = 7;
export const AT_CONTRACT_ACTIVE = 1;

export type AtFieldOp =
  | 'eq'
  | 'noteq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'beginsWith'
  | 'endsWith'
  | 'contains'
  | 'exist'
  | 'notExist'
  | 'in'
  | 'notIn';

/** One condition of a query's filter, or a group of them; the filter's top level is an "and". */
export type AtFilter =
  { op: AtFieldOp; field: string; value?: unknown; udf?: boolean } | { op: 'and' | 'or'; items: AtFilter[] };

export interface AtPageDetails {
  count: number;
  requestCount: number;
  prevPageUrl: string | null;
  nextPageUrl: string | null;
}

/** What POST /{Entity}/query (and each next page) answers. */
export interface AtPage<T> {
  items: T[];
  pageDetails: AtPageDetails;
}

/** What zoneInformation answers: `url` is the API base, e.g. https://webservices5.autotask.net/atservicesrest/. */
export interface AtZone {
  url: string;
  webUrl?: string;
}

export interface AtThresholdInformation {
  externalRequestThreshold: number;
  requestThresholdTimeframe?: number;
  currentTimeframeRequestCount: number;
}

export interface AtCompany {
  id: number;
  companyName: string;
  companyType?: number;
  isActive?: boolean;
}

export interface AtService {
  id: number;
  name: string;
  description?: string | null;
  unitPrice?: number | null;
  unitCost?: number | null;
  isActive?: boolean;
}

export interface AtContract {
  id: number;
  companyID: number;
  contractName: string;
  contractType: number;
  status: number;
  lastModifiedDateTime?: string;
}

/** A service on a contract. It has no quantity: that lives in its ContractServiceUnits. */
export interface AtContractService {
  id: number;
  contractID: number;
  serviceID: number;
}

/** The units of one contract service for one contract period (query only). */
export interface AtContractServiceUnit {
  id: number;
  contractID: number;
  contractServiceID: number;
  serviceID: number;
  startDate: string;
  endDate: string;
  units: number;
}

/**
 * A change of units from a date on (create only: it cannot be read back, updated or deleted). It
 * creates the contract service when the contract has none of that service.
 */
export interface AtContractServiceAdjustment {
  contractID: number;
  serviceID: number;
  contractServiceID?: number;
  unitChange: number;
  effectiveDate: string;
}
