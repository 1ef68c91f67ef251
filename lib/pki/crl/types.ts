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

/** One revoked entry. The object passed to forEachEntry callbacks may be reused: copy what you keep. */
export interface CrlEntryView {
  serialHex: string; // big-endian, lower-case, no sign padding (same form as Cert.serialHex)
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
  aki?: { keyId?: string };
  crlNumber?: bigint;
  deltaCrlIndicator?: bigint;
  idp?: IssuingDistributionPoint;
  freshestCrl?: DistributionPointInfo[];
  /** Microsoft Next CRL Publish (1.3.6.1.4.1.311.21.4). */
  nextPublish?: Date;
  entryCount: number;
  forEachEntry(cb: (e: CrlEntryView) => void | 'stop'): void;
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
  }[];
}
