/** The fields Tally reads of ConnectWise records (REST API 3.0; see psa-apis.md §1). */

export interface CwRef {
  id: number;
  identifier?: string;
  name?: string;
}

export interface CwCompany {
  id: number;
  identifier: string;
  name: string;
  deletedFlag?: boolean;
}

export interface CwCatalogItem {
  id: number;
  identifier: string;
  description: string;
  inactiveFlag?: boolean;
  price?: number;
  cost?: number;
}

export interface CwAgreement {
  id: number;
  name: string;
  company: CwRef;
  agreementStatus?: 'Active' | 'Cancelled' | 'Expired' | 'Inactive';
  cancelledFlag?: boolean;
}

export interface CwAddition {
  id: number;
  agreementId?: number;
  product: CwRef;
  quantity: number;
  billCustomer?: 'Billable' | 'DoNotBill' | 'NoCharge';
  cancelledDate?: string | null;
  agreementStatus?: string;
}
