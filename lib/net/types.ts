// Artifacts produced by network collectors for CRLs and AIA. Owned by lib/net.
import type { CertEntry } from '@/lib/pki/types';

/** One guarded HTTP fetch, measured. */
export interface FetchRecord {
  url: string;
  /** Final URL after redirects. */
  finalUrl?: string;
  redirects: string[];
  /** Address actually connected to. */
  address?: string;
  ok: boolean;
  httpStatus?: number;
  contentType?: string;
  bytes: number;
  /** Milliseconds from start to the first response byte, and to the end of the body. */
  ttfbMs?: number;
  totalMs: number;
  /** Set when the fetch failed: dns, refused, timeout, tls, blocked (network policy), too-big, http, other. */
  error?: { kind: 'dns' | 'refused' | 'timeout' | 'tls' | 'blocked' | 'too-big' | 'http' | 'reset' | 'other'; message: string };
}

export interface CrlDownload {
  /** The CA (CertEntry ref) whose CRL this is, and the certificate whose CDP/Freshest CRL named the URL. */
  caRef?: string;
  forRef: string;
  kind: 'base' | 'delta';
  fetch: FetchRecord;
  /** The body, kept in memory only for this diagnosis (never stored). */
  body?: Uint8Array;
}

export interface CrlNetArtifacts {
  /** Certificates downloaded from AIA caIssuers URLs (source 'aia'), and the fetches made. */
  aiaCerts: CertEntry[];
  aiaFetches: FetchRecord[];
  crlDownloads: CrlDownload[];
}
