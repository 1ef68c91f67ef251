// CRL model shared by the CRL parser (lib/pki/crl/parse.ts), the revocation engine and the network layer.
// A parsed CRL keeps the header and extensions as fields; revoked entries are never materialised as a
// list: they are walked on demand (forEachEntry), so a 1M-entry CRL costs its bytes and nothing more.
import type { DistributionPointInfo, ExtensionInfo, GeneralNameInfo } from '../cert';
import type { ParsedName } from '../name';

export interface IssuingDistributionPoint {
  fullName?: GeneralNameInfo[];
  fullNameDirs?: ParsedName[];
  relativeName?: Uint8Array;
  onlyContainsUserCerts: boolean;
  onlyContainsCACerts: boolean;
  onlySomeReasons?: string[];
  indirectCRL: boolean;
  onlyContainsAttributeCerts: boolean;
}

/** One revoked entry. The object passed to forEachEntry callbacks may be reused: copy what you keep.
 *  Fields are computed when read; serialHex/serialRawHex/dates allocate on every read, which costs
 *  ~150 ms per million entries: to look serials up, use ParsedCrl.scan (byte comparison) instead. */
export interface CrlEntryView {
  serialHex: string; // big-endian, lower-case, no sign padding (same form as Cert.serialHex)
  /** The INTEGER content bytes as encoded (same form as Cert.serialRawHex): tells 255 (00ff) from -1 (ff). */
  serialRawHex?: string;
  revocationDate: Date;
  /** CRLReason code (RFC 5280 5.3.1): 1 keyCompromise ... 6 certificateHold, 8 removeFromCRL. */
  reasonCode?: number;
  invalidityDate?: Date;
  /** Name key (ParsedName.key) of the certificate issuer this entry applies to in an indirect CRL (carried
   *  forward from the last certificateIssuer entry extension); undefined means the CRL issuer itself. */
  certificateIssuerKey?: string;
  /** An entry extension marked critical that we do not understand. */
  unknownCriticalExtension?: string;
}

export interface ParsedCrl {
  /** Where it came from: a --crl file name or the URL it was downloaded from. */
  source: { kind: 'file' | 'download'; name: string; url?: string };
  bytes: number;
  format: 'der' | 'pem';
  version: number; // 1 or 2
  issuer: ParsedName;
  thisUpdate: Date;
  nextUpdate?: Date;
  signatureAlgorithm: string;
  signatureAlgorithmParams?: Uint8Array;
  tbsSignatureAlgorithm: string;
  tbs: Uint8Array;
  signature: Uint8Array;
  extensions: ExtensionInfo[];
  aki?: { keyId?: string; issuer?: GeneralNameInfo[]; serialHex?: string };
  crlNumber?: bigint;
  deltaCrlIndicator?: bigint;
  idp?: IssuingDistributionPoint;
  freshestCrl?: DistributionPointInfo[];
  /** Microsoft Next CRL Publish (1.3.6.1.4.1.311.21.4). */
  nextPublish?: Date;
  entryCount: number;
  /** OIDs of critical CRL extensions the parser does not understand (RFC 5280 5.2: the CRL must not be used). */
  unknownCriticalExtensions: string[];
  forEachEntry(cb: (e: CrlEntryView) => void | 'stop'): void;
  /**
   * One pass over every entry that compares serials as bytes (no string per entry: use this rather than
   * reading serialHex/serialRawHex in forEachEntry on large CRLs). With `raw`, serials are INTEGER content
   * bytes as encoded (Cert.serialRawHex) and keys of `found` are those; otherwise the normalised form
   * (Cert.serialHex). Also reports the first unknown critical entry extension (RFC 5280 5.3).
   */
  scan(serials: Iterable<string>, opts?: { raw?: boolean }): CrlScan;
  /** scan(serialHexes).found: entries by normalised serial (a list: an indirect CRL may repeat a serial). */
  findSerials(serialHexes: Iterable<string>): Map<string, CrlEntry[]>;
}

/** A revoked entry copied out of the reused view (safe to keep). */
export interface CrlEntry {
  serialHex: string;
  serialRawHex: string;
  revocationDate: Date;
  reasonCode?: number;
  invalidityDate?: Date;
  certificateIssuerKey?: string;
  unknownCriticalExtension?: string;
}

export interface CrlScan {
  found: Map<string, CrlEntry[]>;
  unknownCriticalEntryExtension?: string;
  /** Entries walked. */
  entries: number;
}

export interface CrlSet {
  /** Every CRL available: given as files (--crl) and, online, downloaded. */
  items: ParsedCrl[];
  /** Files or downloads that were not CRLs, with the reason. */
  problems: { name: string; message: string }[];
}

export interface RevocationResult {
  perCert: {
    ref: string;
    subject: string;
    serialHex: string;
    status: 'good' | 'revoked' | 'undetermined';
    /** For revoked: date and reason. */
    revocationDate?: string;
    reason?: string;
    /** Which CRL(s) were used (source names), or why none was usable. */
    crls: string[];
    message: string;
    /** The CA (ref) that issued this certificate, when it is in the path. */
    issuerRef?: string;
    /** Revoked with reason certificateHold: suspended, may be released. */
    hold?: boolean;
    /** Delta CRL use for this certificate's base CRL. */
    delta?: DeltaUse;
  }[];
  /** Every CRL in the set, judged once (signature, signer, freshness, usability). */
  crls: CrlAssessment[];
}

export interface DeltaUse {
  /** not-published: no Freshest CRL pointer and no delta given; used: a valid delta was applied; superseded: the
   *  only deltas are older than the base; missing: published but not available; invalid: available but unusable. */
  status: 'not-published' | 'used' | 'superseded' | 'missing' | 'invalid';
  /** Source name of the base CRL and of the delta CRL(s) looked at. */
  base: string;
  deltas: string[];
  /** Freshest CRL locations (URLs) named by the certificate or the base CRL. */
  pointers: string[];
  message: string;
}

export interface CrlAssessment {
  /** Index into CrlSet.items. */
  index: number;
  source: string;
  url?: string;
  issuer: string;
  kind: 'base' | 'delta';
  crlNumber?: string;
  /** Delta CRL Indicator: the base CRL number this delta builds on. */
  baseCrlNumber?: string;
  thisUpdate: string;
  nextUpdate?: string;
  nextPublish?: string;
  freshness: 'current' | 'expired' | 'not-yet-valid' | 'no-next-update';
  /** The certificate whose key verified the signature (it may sign CRLs and chains to the same root). */
  signer?: { ref: string; subject: string; ski?: string };
  /** verified: a certificate's key verified it; bad: certificates with the issuer's name exist but none verifies
   *  it (or none may sign CRLs); no-issuer-cert: no certificate with the CRL issuer's name was given. */
  signature: 'verified' | 'bad' | 'no-issuer-cert';
  signatureMessage: string;
  /** CRL AKI compared with the signer's (or named CA's) SKI. */
  aki: 'match' | 'mismatch' | 'absent' | 'unknown';
  /** The CA certificate this CRL belongs to (signer, or the certificate with the issuer's name). */
  caRef?: string;
  usable: boolean;
  /** Why the CRL cannot be used at all (unknown critical extension, stale, bad signature...). */
  problems: string[];
  /** Certificates (refs) whose status this CRL helped decide. */
  usedFor: string[];
}
