// The certificate model every check and the chain engine work on. One parse, plain fields; the
// original DER is kept only in memory for signature checks and hashing, never logged.
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import { children, integerHex, readTlv, slice, toHex, value } from './der';
import { parseName, type ParsedName } from './name';

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  upn: '1.3.6.1.4.1.311.20.2.3',
  ekuClientAuth: '1.3.6.1.5.5.7.3.2',
  ekuServerAuth: '1.3.6.1.5.5.7.3.1',
  ekuSmartCardLogon: '1.3.6.1.4.1.311.20.2.2',
  ekuAny: '2.5.29.37.0',
  ski: '2.5.29.14',
  keyUsage: '2.5.29.15',
  san: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  cdp: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  aki: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  eku: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  aia: '1.3.6.1.5.5.7.1.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  ocsp: '1.3.6.1.5.5.7.48.1',
  curveP256: '1.2.840.10045.3.1.7',
  curveP384: '1.3.132.0.34',
  curveP521: '1.3.132.0.35',
} as const;

export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string; key: 'rsa' | 'ec' | 'dsa' | 'rsa-pss' | 'ed' }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5', key: 'rsa' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1', key: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512', key: 'rsa' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'params', key: 'rsa-pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1', key: 'ec' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256', key: 'ec' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384', key: 'ec' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512', key: 'ec' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'SHA-1', key: 'dsa' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'SHA-256', key: 'dsa' },
  '1.3.101.112': { name: 'Ed25519', hash: 'none', key: 'ed' },
};

export type GeneralNameType = 'upn' | 'rfc822' | 'dns' | 'uri' | 'ip' | 'dirName' | 'otherName' | 'registeredId' | 'x400' | 'ediParty';
export interface GeneralNameInfo {
  type: GeneralNameType;
  value: string;
  /** For otherName: its type-id. */
  oid?: string;
}

export interface DistributionPointInfo {
  /** fullName general names. */
  fullName?: GeneralNameInfo[];
  /** nameRelativeToCRLIssuer as raw DER of the RDN (rare). */
  relativeName?: Uint8Array;
  /** ReasonFlags bit names when present. */
  reasons?: string[];
  crlIssuer?: GeneralNameInfo[];
  /** Directory names in fullName/crlIssuer, parsed (needed to match CRL issuers). */
  fullNameDirs?: ParsedName[];
  crlIssuerDirs?: ParsedName[];
  urls: string[];
}

export interface ExtensionInfo {
  oid: string;
  critical: boolean;
  value: Uint8Array; // extnValue contents (the DER inside the OCTET STRING)
}

export interface PublicKeyInfo {
  algorithm: 'RSA' | 'EC' | 'DSA' | 'Ed25519' | 'other';
  algorithmOid: string;
  bits?: number;
  curve?: string; // OID of the named curve
  curveName?: 'P-256' | 'P-384' | 'P-521';
  /** The DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING contents without the unused-bits octet. */
  keyBytes: Uint8Array;
}

export interface Cert {
  der: Uint8Array;
  sha256: string; // lower-case hex
  sha1: string; // upper-case hex, like a Windows thumbprint
  version: number; // 1, 2 or 3
  serialHex: string; // big-endian, lower-case, no sign padding
  serialRawHex: string; // the INTEGER content bytes as encoded
  subject: ParsedName;
  issuer: ParsedName;
  notBefore: Date;
  notAfter: Date;
  tbs: Uint8Array;
  signatureAlgorithm: string; // OID of the outer signatureAlgorithm
  signatureAlgorithmParams?: Uint8Array; // DER of parameters when present
  tbsSignatureAlgorithm: string;
  signature: Uint8Array; // BIT STRING contents without the unused-bits octet
  publicKey: PublicKeyInfo;
  extensions: ExtensionInfo[];
  ski?: string;
  aki?: { keyId?: string; issuer?: GeneralNameInfo[]; serialHex?: string };
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: { bits: number; names: string[] };
  eku?: string[];
  san?: GeneralNameInfo[];
  cdp?: DistributionPointInfo[];
  freshestCrl?: DistributionPointInfo[];
  aia?: { caIssuers: string[]; ocsp: string[] };
  selfIssued: boolean;
  /** The asn1-x509 object, for extension parsing that needs the full structure. */
  asn: x.Certificate;
}

export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** ReasonFlags bit names (RFC 5280 4.2.1.13), index = bit number; the CRL parser uses them too. */
export const REASON_FLAG_NAMES = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export class CertificateParseError extends Error {}

function bitString(bytes: Uint8Array): { bits: number; names: number[] } {
  // bytes[0] is the unused-bit count; bit 0 is the most significant bit of bytes[1].
  const names: number[] = [];
  let bits = 0;
  for (let i = 1; i < bytes.length; i++) {
    for (let b = 0; b < 8; b++) {
      if (bytes[i] & (0x80 >> b)) {
        const n = (i - 1) * 8 + b;
        names.push(n);
        bits |= 1 << n;
      }
    }
  }
  return { bits, names };
}

export function generalName(g: x.GeneralName): GeneralNameInfo {
  if (g.rfc822Name !== undefined) return { type: 'rfc822', value: g.rfc822Name };
  if (g.dNSName !== undefined) return { type: 'dns', value: g.dNSName };
  if (g.uniformResourceIdentifier !== undefined) return { type: 'uri', value: g.uniformResourceIdentifier };
  // asn1-x509 already renders the OCTET STRING as text (address, or address/prefix in name constraints).
  if (g.iPAddress !== undefined) return { type: 'ip', value: g.iPAddress };
  if (g.directoryName !== undefined) return { type: 'dirName', value: parseName(new Uint8Array(AsnConvert.serialize(g.directoryName))).display };
  if (g.registeredID !== undefined) return { type: 'registeredId', value: g.registeredID };
  if (g.otherName !== undefined) {
    const oid = g.otherName.typeId;
    let v = '';
    try {
      // otherName value is [0] EXPLICIT ANY; UPN is a UTF8String inside.
      const raw = new Uint8Array(g.otherName.value);
      const t = readTlv(raw, 0);
      const inner = t.tag === 0xa0 ? readTlv(raw, t.valueStart) : t;
      v = Buffer.from(value(raw, inner)).toString('utf8');
    } catch {
      v = toHex(g.otherName.value);
    }
    return { type: oid === OID.upn ? 'upn' : 'otherName', value: v, oid };
  }
  if (g.x400Address !== undefined) return { type: 'x400', value: toHex(g.x400Address) };
  return { type: 'ediParty', value: '' };
}

function distributionPoints(dps: x.DistributionPoint[]): DistributionPointInfo[] {
  return dps.map((dp) => {
    const info: DistributionPointInfo = { urls: [] };
    if (dp.distributionPoint?.fullName) {
      info.fullName = dp.distributionPoint.fullName.map(generalName);
      info.fullNameDirs = dp.distributionPoint.fullName
        .filter((g) => g.directoryName)
        .map((g) => parseName(new Uint8Array(AsnConvert.serialize(g.directoryName!))));
      info.urls = info.fullName.filter((g) => g.type === 'uri').map((g) => g.value);
    }
    if (dp.distributionPoint?.nameRelativeToCRLIssuer) {
      info.relativeName = new Uint8Array(AsnConvert.serialize(dp.distributionPoint.nameRelativeToCRLIssuer));
    }
    if (dp.reasons !== undefined) {
      const v = dp.reasons.toNumber();
      info.reasons = REASON_FLAG_NAMES.filter((_, i) => v & (1 << i));
    }
    if (dp.cRLIssuer) {
      info.crlIssuer = dp.cRLIssuer.map(generalName);
      info.crlIssuerDirs = dp.cRLIssuer
        .filter((g) => g.directoryName)
        .map((g) => parseName(new Uint8Array(AsnConvert.serialize(g.directoryName!))));
    }
    return info;
  });
}

function hash(alg: 'sha256' | 'sha1', b: Uint8Array) {
  return createHash(alg).update(b).digest('hex');
}

export function parseCertificate(der: Uint8Array): Cert {
  let asn: x.Certificate;
  let top;
  try {
    top = readTlv(der, 0);
    if (top.tag !== 0x30 || top.end !== der.length) throw new CertificateParseError('not a DER SEQUENCE');
    asn = AsnConvert.parse(der, x.Certificate);
  } catch (e) {
    throw new CertificateParseError(`not an X.509 certificate: ${(e as Error).message}`);
  }
  const [tbsT, sigAlgT, sigT] = children(der, top);
  if (!tbsT || !sigAlgT || !sigT) throw new CertificateParseError('certificate structure is incomplete');
  const tbsKids = children(der, tbsT);
  let i = 0;
  if (tbsKids[0]?.tag === 0xa0) i++;
  const serialT = tbsKids[i];
  const issuerT = tbsKids[i + 2];
  const subjectT = tbsKids[i + 4];
  const spkiT = tbsKids[i + 5];
  if (!serialT || !issuerT || !subjectT || !spkiT) throw new CertificateParseError('TBSCertificate is incomplete');
  const sigAlgKids = children(der, sigAlgT);
  const spkiKids = children(der, spkiT);
  const keyBitString = value(der, spkiKids[1]);
  const tbs = asn.tbsCertificate;
  const issuer = parseName(slice(der, issuerT));
  const subject = parseName(slice(der, subjectT));

  const pkAlg = tbs.subjectPublicKeyInfo.algorithm.algorithm;
  const publicKey: PublicKeyInfo = {
    algorithm:
      pkAlg === OID.rsaEncryption
        ? 'RSA'
        : pkAlg === OID.ecPublicKey
          ? 'EC'
          : pkAlg === OID.dsa
            ? 'DSA'
            : pkAlg === OID.ed25519
              ? 'Ed25519'
              : 'other',
    algorithmOid: pkAlg,
    spki: slice(der, spkiT),
    keyBytes: keyBitString.subarray(1),
  };
  if (publicKey.algorithm === 'RSA') {
    try {
      const rsa = readTlv(publicKey.keyBytes, 0);
      const mod = readTlv(publicKey.keyBytes, rsa.valueStart);
      const m = value(publicKey.keyBytes, mod);
      let s = 0;
      while (s < m.length && m[s] === 0) s++;
      publicKey.bits = s < m.length ? (m.length - s - 1) * 8 + (32 - Math.clz32(m[s])) : 0;
    } catch {
      /* malformed RSA key: bits stay unknown */
    }
  } else if (publicKey.algorithm === 'EC') {
    const params = tbs.subjectPublicKeyInfo.algorithm.parameters;
    if (params) {
      try {
        const p = new Uint8Array(params);
        const t = readTlv(p, 0);
        if (t.tag === 0x06) publicKey.curve = decodeOid(value(p, t));
      } catch {
        /* unnamed curve */
      }
    }
    publicKey.curveName =
      publicKey.curve === OID.curveP256 ? 'P-256' : publicKey.curve === OID.curveP384 ? 'P-384' : publicKey.curve === OID.curveP521 ? 'P-521' : undefined;
    publicKey.bits = publicKey.curveName ? Number(publicKey.curveName.slice(2)) : undefined;
  }

  const cert: Cert = {
    der,
    sha256: hash('sha256', der),
    sha1: hash('sha1', der).toUpperCase(),
    version: tbs.version + 1,
    serialHex: integerHex(value(der, serialT)),
    serialRawHex: toHex(value(der, serialT)),
    subject,
    issuer,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    tbs: slice(der, tbsT),
    signatureAlgorithm: asn.signatureAlgorithm.algorithm,
    signatureAlgorithmParams: sigAlgKids[1] && sigAlgKids[1].tag !== 0x05 ? slice(der, sigAlgKids[1]) : undefined,
    tbsSignatureAlgorithm: tbs.signature.algorithm,
    signature: new Uint8Array(asn.signatureValue).subarray(0),
    publicKey,
    extensions: [],
    selfIssued: issuer.key === subject.key,
    asn,
  };
  // asn1-schema gives the BIT STRING without its unused-bits octet for signatureValue.
  const sigBits = value(der, sigT);
  cert.signature = sigBits.subarray(1);

  for (const ext of tbs.extensions ?? []) {
    const v = new Uint8Array(ext.extnValue.buffer);
    cert.extensions.push({ oid: ext.extnID, critical: !!ext.critical, value: v });
    try {
      switch (ext.extnID) {
        case OID.ski:
          cert.ski = toHex(AsnConvert.parse(v, x.SubjectKeyIdentifier).buffer);
          break;
        case OID.aki: {
          const a = AsnConvert.parse(v, x.AuthorityKeyIdentifier);
          cert.aki = {
            keyId: a.keyIdentifier ? toHex(a.keyIdentifier.buffer) : undefined,
            issuer: a.authorityCertIssuer?.map(generalName),
            serialHex: a.authorityCertSerialNumber ? integerHex(new Uint8Array(a.authorityCertSerialNumber)) : undefined,
          };
          break;
        }
        case OID.basicConstraints: {
          const b = AsnConvert.parse(v, x.BasicConstraints);
          cert.basicConstraints = { ca: !!b.cA, pathLen: b.pathLenConstraint };
          break;
        }
        case OID.keyUsage: {
          const t = readTlv(v, 0);
          const { bits, names } = bitString(value(v, t));
          cert.keyUsage = { bits, names: names.map((n) => KEY_USAGE_NAMES[n] ?? `bit${n}`) };
          break;
        }
        case OID.eku:
          cert.eku = Array.from(AsnConvert.parse(v, x.ExtendedKeyUsage));
          break;
        case OID.san:
          cert.san = Array.from(AsnConvert.parse(v, x.SubjectAlternativeName)).map(generalName);
          break;
        case OID.cdp:
          cert.cdp = distributionPoints(Array.from(AsnConvert.parse(v, x.CRLDistributionPoints)));
          break;
        case OID.freshestCrl:
          cert.freshestCrl = distributionPoints(Array.from(AsnConvert.parse(v, x.FreshestCRL)));
          break;
        case OID.aia: {
          const aia = Array.from(AsnConvert.parse(v, x.AuthorityInfoAccessSyntax));
          cert.aia = {
            caIssuers: aia.filter((d) => d.accessMethod === OID.caIssuers && d.accessLocation.uniformResourceIdentifier).map((d) => d.accessLocation.uniformResourceIdentifier!),
            ocsp: aia.filter((d) => d.accessMethod === OID.ocsp && d.accessLocation.uniformResourceIdentifier).map((d) => d.accessLocation.uniformResourceIdentifier!),
          };
          break;
        }
      }
    } catch {
      // A malformed extension is left unparsed; path validation treats unparsable critical extensions as unknown.
    }
  }
  return cert;
}

export function decodeOid(b: Uint8Array): string {
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (out.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        out.push(first, v - first * 40);
      } else out.push(v);
      v = 0;
    }
  }
  return out.join('.');
}

export function isCaCert(c: Cert): boolean {
  return c.basicConstraints?.ca === true || (c.version < 3 && c.selfIssued);
}

export function signatureInfo(c: { signatureAlgorithm: string }) {
  return SIGNATURE_ALGORITHMS[c.signatureAlgorithm];
}
