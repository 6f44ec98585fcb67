/** The partner's own settings. */
export interface PartnerSettings {
  /** ISO 4217 code every amount of the partner is in; USD unless the partner chose another. */
  currency: string;
}

export interface PartnerSettingsStore {
  getPartnerSettings(partnerId: string): Promise<PartnerSettings | undefined>;
  setPartnerSettings(partnerId: string, settings: PartnerSettings): Promise<void>;
}
