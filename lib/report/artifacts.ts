// Everything the collectors gather, as plain data. Checks read these and never do I/O themselves.
// Each subsystem owns the types of its own section (lib/pki/types.ts, lib/net/types.ts, ...).
import type { Cloud, Target } from './schema';
import type { PkiArtifacts } from '@/lib/pki/types';
import type { CrlNetArtifacts } from '@/lib/net/types';
import type { FederationArtifacts } from '@/lib/adfs/types';
import type { PasteArtifacts } from '@/lib/paste/types';
import type { EntraArtifacts } from '@/lib/entra/types';
import type { DeviceArtifacts, DeviceInput } from '@/lib/device/types';

export interface DiagnosisContext {
  /** Evaluation time (now, or --at). */
  now: Date;
  /** What the user asked for; realm discovery may refine `unknown`. */
  requestedTarget?: Target;
  offline: boolean;
  allowPrivate: boolean;
  /** Per-probe time limit in milliseconds. */
  timeoutMs: number;
  /** The Microsoft cloud of the tenant (default public): US Government clouds have larger Entra CRL limits. */
  cloud?: Cloud;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface PastedText {
  /** Optional label (file name); the kind is detected from the text. */
  name?: string;
  text: string;
  /** The AD FS or WAP server the output came from (portal "Server name", CLI --paste NODE=FILE, API pastedNode). */
  node?: string;
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
  /** A live Microsoft Graph lookup of the tenant was asked for (CLI --graph; portal when allowed), with the error page's correlation ID. */
  graph?: { correlationId?: string };
  /** Set when the certificates were presented by a device to the certauth listener rather than uploaded. */
  device?: DeviceInput;
}

export interface Artifacts extends Partial<PkiArtifacts>, Partial<CrlNetArtifacts>, Partial<FederationArtifacts>, Partial<PasteArtifacts>, Partial<EntraArtifacts>, Partial<DeviceArtifacts> {
  ctx: DiagnosisContext;
  input: DiagnosisInput;
  /** The target checks apply (adfs, entra, unknown); set from the request or realm discovery. */
  target: Target;
}

export type ArtifactKey = Exclude<keyof Artifacts, 'ctx' | 'input' | 'target'>;
