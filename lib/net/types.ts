// Artifacts produced by network collectors for CRLs and AIA. Owned by lib/net.
import type { CertEntry } from '@/lib/pki/types';
import type { ParsedCrl } from '@/lib/pki/crl/types';

export type FetchErrorKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'blocked' | 'too-big' | 'http' | 'reset' | 'url' | 'other';

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
  /** Content-Length the server announced, when it did. */
  declaredBytes?: number;
  /** The limits this fetch ran under (so a check can say "stopped at 30 s" or "over the 100 MB cap"). */
  timeoutMs?: number;
  maxBytes?: number;
  /**
   * Set when the fetch failed: dns, refused (connection refused), timeout (the time limit passed; bytes and
   * ttfbMs say how far it got), tls, blocked (network policy, or a scheme other than http/https), too-big
   * (byte limit), http (status not 2xx, too many redirects), reset (connection cut), url (malformed URL), other.
   */
  error?: {
    kind: FetchErrorKind;
    message: string;
    /** blocked only: true when the address is refused because it is private (--allow-private would lift it),
     *  false when it is refused whatever the settings (cloud metadata). */
    privateOnly?: boolean;
  };
  /** Response headers, recorded only for API answers (GuardedFetchOptions.anyStatus). */
  headers?: Record<string, string>;
  /** The fetch worked but the content was not usable (an AIA answer that is not the issuer's certificate...). */
  problem?: string;
}

export interface CrlDownload {
  /** The CA (CertEntry ref) whose CRL this is, and the certificate whose CDP/Freshest CRL named the URL. */
  caRef?: string;
  forRef: string;
  kind: 'base' | 'delta';
  fetch: FetchRecord;
  /** The body, kept in memory only for this diagnosis (never stored). */
  body?: Uint8Array;
  /** How the body is encoded: DER, PEM (-----BEGIN X509 CRL-----), bare base64, or something else. */
  encoding?: 'der' | 'pem' | 'base64' | 'other';
  /** The body parsed as a CRL (header; entries walked on demand). Bare base64 is decoded first. */
  parsed?: ParsedCrl;
  /** Why the body is not a CRL, when it is not. */
  parseError?: string;
}

export interface CrlNetArtifacts {
  /** Certificates downloaded from AIA caIssuers URLs (source 'aia'), and the fetches made. */
  aiaCerts: CertEntry[];
  aiaFetches: FetchRecord[];
  crlDownloads: CrlDownload[];
}
