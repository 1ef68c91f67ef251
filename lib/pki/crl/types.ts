// CRL artifacts. Owned by the CRL engine.
export interface CrlSet {
  items: unknown[];
}
export interface RevocationResult {
  perCert: unknown[];
}
