// Artifacts produced by lib/pki collectors (no network).
import type { Cert } from './cert';

export type FileKind = 'der' | 'pem' | 'pkcs7-der' | 'pkcs7-pem';
export type FileRefusal = 'empty' | 'too-big' | 'pkcs12' | 'private-key' | 'not-a-certificate' | 'over-budget';

export interface InputFileResult {
  fileName: string;
  size: number;
  /** Certificates found (refs into PkiArtifacts.certs). */
  refs: string[];
  kind?: FileKind;
  /** Why the file gave no certificate, or why part of it was skipped. */
  problem?: { reason: FileRefusal; message: string };
  /** Non-fatal notes (a PEM block that did not parse while others did...). */
  notes: string[];
}

export interface CertEntry {
  ref: string; // c1, c2, ...
  fileName: string;
  source: 'upload' | 'aia';
  /** Where an AIA certificate came from. */
  url?: string;
  cert: Cert;
}

export interface UserSelection {
  /** The end-entity certificate used for the diagnosis. */
  user?: CertEntry;
  /** Every end-entity candidate, best first (several → cert.user says which was used and why). */
  candidates: CertEntry[];
  /** The user certificate asked for (API userCertificate, CLI --user) and whether it was among the uploads. */
  requested?: { value: string; found: boolean };
}

export interface PkiArtifacts {
  files: InputFileResult[];
  certs: CertEntry[];
  user: UserSelection;
  /** Path from the user certificate up (uploaded certs plus aiaCerts). Needs certs, user, aiaCerts. */
  chain: import('./chain/types').ChainResult;
  /** CRLs given as files (--crl / upload), parsed. */
  crlFiles: import('./crl/types').CrlSet;
  /** Every CRL available for revocation: crlFiles plus parsed crlDownloads. */
  crls: import('./crl/types').CrlSet;
  revocation: import('./crl/types').RevocationResult;
}
