// Certificate profile lints (in the manner of zlint): one finding per rule and certificate of the path, each
// with the RFC or profile section it comes from. Pure: the check chain.profile decides how much each weighs
// for the target. Trust-anchor findings that RFC 5280 path validation treats as fatal are flagged `fatal`.
import { OID, type Cert } from '../cert';
import { children, readTlv } from '../der';
import type { CertEntry } from '../types';
import { KNOWN_EXTENSIONS } from './validate';

export type LintRule =
  | 'aki-missing'
  | 'ski-missing'
  | 'aki-critical'
  | 'ski-critical'
  | 'anchor-not-ca'
  | 'anchor-no-keycertsign'
  | 'basic-constraints-not-critical'
  | 'unknown-critical-extension'
  | 'serial-zero'
  | 'serial-negative'
  | 'serial-too-long'
  | 'duplicate-extension'
  | 'eku-empty'
  | 'san-undecodable'
  | 'aia-malformed'
  | 'extensions-in-v1-v2'
  | 'rsa-key-too-small'
  | 'rsa-key-odd-size'
  | 'dsa-key'
  | 'ec-p192'
  | 'ec-explicit-parameters'
  | 'sha1-signature'
  | 'name-constraints-not-critical';

export type CertRole = 'user' | 'intermediate' | 'root';

export interface Lint {
  rule: LintRule;
  ref: string;
  subject: string;
  role: CertRole;
  section: string;
  message: string;
  /** RFC 5280 path validation rejects the path for it (a trust anchor that is not a CA, an unknown critical extension). */
  fatal?: boolean;
}

const SHA1_SIGNATURES = new Set(['1.2.840.113549.1.1.5', '1.2.840.10045.4.1', '1.2.840.10040.4.3']);
const P192 = '1.2.840.10045.3.1.1';

/** The EC parameters of the key are a SEQUENCE (specifiedCurve), not a named curve OID. */
function explicitCurve(c: Cert): boolean {
  if (c.publicKey.algorithm !== 'EC') return false;
  try {
    const spki = c.publicKey.spki;
    const [alg] = children(spki, readTlv(spki, 0));
    const params = children(spki, alg)[1];
    return params?.tag === 0x30;
  } catch {
    return false;
  }
}

function roleOf(i: number, path: CertEntry[], complete: boolean): CertRole {
  if (i === 0) return 'user';
  return complete && i === path.length - 1 ? 'root' : 'intermediate';
}

export function lintPath(path: CertEntry[], complete: boolean): Lint[] {
  const out: Lint[] = [];
  path.forEach((e, i) => {
    const c = e.cert;
    const role = roleOf(i, path, complete);
    const isCa = role !== 'user' || c.basicConstraints?.ca === true;
    const add = (rule: LintRule, section: string, message: string, fatal?: boolean) =>
      out.push({ rule, ref: e.ref, subject: c.subject.display, role, section, message, ...(fatal ? { fatal } : {}) });
    const ext = (oid: string) => c.extensions.find((x) => x.oid === oid);

    if (role !== 'root' && !c.aki?.keyId)
      add('aki-missing', 'RFC 5280 4.2.1.1', 'It has no authority key identifier, so the issuing CA certificate can only be found by name (Entra ID matches issuers by key identifier).');
    if (isCa && !c.ski) add('ski-missing', 'RFC 5280 4.2.1.2', 'It is a CA certificate without a subject key identifier, so certificates and CRLs it signs cannot be matched to it by key identifier.');
    if (ext(OID.aki)?.critical) add('aki-critical', 'RFC 5280 4.2.1.1', 'Its authority key identifier extension is marked critical; RFC 5280 says it must not be.');
    if (ext(OID.ski)?.critical) add('ski-critical', 'RFC 5280 4.2.1.2', 'Its subject key identifier extension is marked critical; RFC 5280 says it must not be.');

    if (role === 'root' && path.length > 1) {
      if (c.version >= 3 && c.basicConstraints?.ca !== true)
        add('anchor-not-ca', 'RFC 5280 4.2.1.9 and 6.1', 'It is the root of the path but its basic constraints do not say cA=TRUE, so it may not issue certificates.', true);
      if (c.keyUsage && !c.keyUsage.names.includes('keyCertSign'))
        add('anchor-no-keycertsign', 'RFC 5280 4.2.1.3', `It is the root of the path but its key usage (${c.keyUsage.names.join(', ') || 'none'}) lacks keyCertSign.`);
    }
    const bc = ext(OID.basicConstraints);
    if (isCa && bc && !bc.critical && c.basicConstraints?.ca)
      add('basic-constraints-not-critical', 'RFC 5280 4.2.1.9', 'It is a CA certificate whose basic constraints extension is not marked critical, as RFC 5280 requires.');
    // The validator reports unknown critical extensions below the root; the root's own are a lint here and fatal.
    for (const x of c.extensions)
      if (x.critical && !KNOWN_EXTENSIONS.has(x.oid))
        add('unknown-critical-extension', 'RFC 5280 4.2', `It has a critical extension that is not understood (${x.oid}); a validator must reject the certificate.`, role === 'root');

    const serial = Buffer.from(c.serialRawHex, 'hex');
    if (serial.every((b) => b === 0)) add('serial-zero', 'RFC 5280 4.1.2.2', 'Its serial number is zero; serial numbers must be positive.');
    else if (serial[0] & 0x80) add('serial-negative', 'RFC 5280 4.1.2.2', 'Its serial number is negative; serial numbers must be positive.');
    if (serial.length > 20) add('serial-too-long', 'RFC 5280 4.1.2.2', `Its serial number is ${serial.length} octets long; RFC 5280 allows at most 20, and some clients reject longer ones.`);

    const seen = new Set<string>();
    for (const x of c.extensions) {
      if (seen.has(x.oid)) add('duplicate-extension', 'RFC 5280 4.2', `It carries extension ${x.oid} more than once; a certificate must not include more than one instance of an extension.`);
      seen.add(x.oid);
    }
    if (ext(OID.eku) && !c.eku?.length) add('eku-empty', 'RFC 5280 4.2.1.12', 'Its extended key usage extension lists no purpose (at least one is required).');
    if (ext(OID.san) && !c.san?.length) add('san-undecodable', 'RFC 5280 4.2.1.6', 'Its subject alternative name extension cannot be decoded or is empty.');
    if (ext(OID.aia) && !c.aia) add('aia-malformed', 'RFC 5280 4.2.2.1', 'Its authority information access extension cannot be decoded, so clients cannot fetch the issuer certificate from it.');
    if (c.version < 3 && c.extensions.length) add('extensions-in-v1-v2', 'RFC 5280 4.1.2.9', `It is a version ${c.version} certificate carrying extensions, which only version 3 certificates may have.`);

    const k = c.publicKey;
    if (k.algorithm === 'RSA' && k.bits !== undefined) {
      if (k.bits < 2048) add('rsa-key-too-small', 'NIST SP 800-131A Rev. 2 section 3; CA/Browser Forum Baseline Requirements 6.1.5', `Its RSA key is ${k.bits} bits; at least 2048 bits are required.`);
      if (k.bits % 8 !== 0) add('rsa-key-odd-size', 'CA/Browser Forum Baseline Requirements 6.1.5', `Its RSA modulus is ${k.bits} bits, not a multiple of 8.`);
    }
    if (k.algorithm === 'DSA') add('dsa-key', 'NIST FIPS 186-5 (DSA no longer approved for signatures)', 'It has a DSA key, which current clients and NIST no longer accept for signatures.');
    if (k.curve === P192) add('ec-p192', 'NIST SP 800-131A Rev. 2 section 3', 'Its EC key is on curve P-192, below the 112-bit security floor.');
    if (explicitCurve(c)) add('ec-explicit-parameters', 'RFC 5480 2.1.1', 'Its EC key spells out the curve parameters instead of naming the curve; RFC 5480 forbids that form.');
    // The root's own signature is not checked in path validation, so its hash does not weaken the path.
    if (role !== 'root' && SHA1_SIGNATURES.has(c.signatureAlgorithm))
      add('sha1-signature', 'NIST SP 800-131A Rev. 2 section 5 (SHA-1 not approved for signatures)', `It is signed with SHA-1 (${c.signatureAlgorithm}), which is no longer trusted for certificate signatures.`);
    const nc = ext(OID.nameConstraints);
    if (nc && !nc.critical) add('name-constraints-not-critical', 'RFC 5280 4.2.1.10', 'Its name constraints extension is not marked critical; RFC 5280 says it must be, and clients that skip it would not enforce the constraints.');
  });
  return out;
}
