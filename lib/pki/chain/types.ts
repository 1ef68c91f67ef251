// Chain building and path validation results. Owned by the chain engine.
import type { CertEntry } from '../types';

export interface ChainResult {
  /** User certificate first, then issuers; the last one is the root when complete. */
  path: CertEntry[];
  complete: boolean;
  /** When incomplete: who is missing. */
  missing?: { issuer: string; keyId?: string; aiaUrls: string[] };
  validation?: { valid: boolean; errors: { ref: string; subject: string; rule: string; message: string }[] };
}
