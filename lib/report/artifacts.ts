// Everything the collectors gather, as plain data. Checks read these and never do I/O themselves.
// Each subsystem owns the types of its own section (lib/pki/types.ts, lib/net/types.ts, ...).
import type { Target } from './schema';
import type { PkiArtifacts } from '@/lib/pki/types';
import type { CrlNetArtifacts } from '@/lib/net/types';
import type { FederationArtifacts } from '@/lib/adfs/types';
import type { PasteArtifacts } from '@/lib/paste/types';

export interface DiagnosisContext {
  /** Evaluation time (now, or --at). */
  now: Date;
  /** What the user asked for; realm discovery may refine `unknown`. */
  requestedTarget?: Target;
  offline: boolean;
  allowPrivate: boolean;
  /** Per-probe time limit in milliseconds. */
  timeoutMs: number;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface PastedText {
  /** Optional label (file name); the kind is detected from the text. */
  name?: string;
  text: string;
}

export interface DiagnosisInput {
  upn?: string;
  domain?: string;
  federationHost?: string;
  nodes?: string[];
  /** host → address overrides, like curl --resolve. */
  resolve?: Record<string, string>;
  tlsClientPort?: number;
  /** Which uploaded certificate is the user's: a 0-based index into the certificates, or a SHA-256 thumbprint. */
  userCertificate?: string;
  files: UploadedFile[];
  crlFiles: UploadedFile[];
  pasted: PastedText[];
}

export interface Artifacts extends Partial<PkiArtifacts>, Partial<CrlNetArtifacts>, Partial<FederationArtifacts>, Partial<PasteArtifacts> {
  ctx: DiagnosisContext;
  input: DiagnosisInput;
  /** The target checks apply (adfs, entra, unknown); set from the request or realm discovery. */
  target: Target;
}

export type ArtifactKey = Exclude<keyof Artifacts, 'ctx' | 'input' | 'target'>;
