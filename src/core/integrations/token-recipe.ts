/** How a vendor builds its GRADIENT-TOKEN from its own key and this partner key (Tally never sees both). */
export const tokenRecipe = (partnerKey: string): string => `base64("<vendorKey>:${partnerKey}")`;
