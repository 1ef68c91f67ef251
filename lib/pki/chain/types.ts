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
  /** The RFC 5280 section (or profile rule) the problem breaks, for evidence and remediation by role. */
  section?: string;
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
  /** Candidate paths built and validated (the best ones, chosen first when valid), for chain.build evidence. */
  candidates?: PathCandidate[];
  /** How many candidate paths were built in all. */
  tried?: number;
  /** The search hit its bounds (depth, count): other paths may exist. */
  truncated?: boolean;
}

/** One path considered by the builder. */
export interface PathCandidate {
  refs: string[];
  complete: boolean;
  valid: boolean;
  chosen: boolean;
  problems: { ref: string; rule: PathRule; section?: string }[];
}
