// Chain building and path validation results. Owned by the chain engine.
import type { CertEntry } from '../types';

export type PathRule =
  | 'signature'
  | 'algorithm-mismatch'
  | 'validity'
  | 'name-chaining'
  | 'basic-constraints'
  | 'path-length'
  | 'key-usage'
  | 'name-constraints'
  | 'critical-extension'
  | 'trust-anchor';

export interface PathError {
  ref: string;
  subject: string;
  rule: PathRule;
  message: string;
}

export interface PathValidation {
  valid: boolean;
  errors: PathError[];
}

/** How the issuer of one path element was chosen, for the evidence of chain.build. */
export interface IssuerLink {
  /** The certificate that was issued (ref) and the issuer picked for it. */
  ref: string;
  issuerRef: string;
  /** How the issuer matched: key identifier (AKI = SKI), name, or both. */
  matchedBy: 'key-id+name' | 'key-id' | 'name';
  signatureVerified: boolean;
  /** Other certificates that could also have issued it (cross-signed CAs, renewed CA keys). */
  alternatives: string[];
}

export interface ChainResult {
  /** User certificate first, then issuers; the last one is the root when complete. */
  path: CertEntry[];
  complete: boolean;
  /** When incomplete: who is missing. */
  missing?: { issuer: string; keyId?: string; aiaUrls: string[] };
  /** Where the root came from (only meaningful when complete). */
  rootSource?: CertEntry['source'];
  links?: IssuerLink[];
  /** Candidate issuers found but not usable, with why (helps when the chain is broken). */
  notes?: string[];
  validation?: PathValidation;
}
