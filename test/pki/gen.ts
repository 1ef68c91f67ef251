/**
 * Test PKI generator: builds real certificates, CRLs and the files users upload, in-process
 * (@peculiar/asn1-x509 structures, node:crypto keys and signatures; openssl only for PKCS#7/PKCS#12/CSR).
 *
 * Keys      genKey('rsa2048' | 'rsa1024' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519')
 * Certs     makeCert({ subject, issuer?, key?, hash?, notBefore/notAfter, san, eku, keyUsage, basicConstraints,
 *                      cdp, freshestCrl, aia, ski/aki on/off/explicit, signingKey, issuerName, badSignature,
 *                      version: 1, extensions (raw) ... }) → GenCert { der, pem, key, subject, ski, serial, cert, x509() }
 *           Unset options get sensible defaults; `null` removes an extension (e.g. `basicConstraints: null`).
 *           SAN entries: { type: 'upn' | 'rfc822' | 'dns' | 'uri' | 'ip' | 'dirName' | 'registeredId' | 'otherName', value, oid? }
 * PKI       makePki({ root?, ca?, user?, upn? }) → { root, ca, user }  (root → issuing CA → user; each part
 *           overridable with CertOptions, the user gets a UPN SAN, clientAuth EKU, HTTP CDP and AIA by default);
 *           makeUser(pki, over) issues another user certificate from pki.ca with the same defaults
 * CRLs      makeCrl({ issuer, revoked: [{ serial, date, reason, invalidity }], thisUpdate, nextUpdate (null = none),
 *                     crlNumber, deltaIndicator, aki, idp, freshestCrl, nextPublish, signingKey, issuerName,
 *                     hash, badSignature, extensions }) → GenCrl { der, pem }
 * Files     toPem(der, label), pemBundle(items, { before, between, after, crlf, bom, text: 'openssl' | 'windows' }),
 *           base64Body(der), pkcs7(certs, 'der' | 'pem'), pkcs12(cert, chain?, password?),
 *           privateKeyFile(key, form), csr(key, subject, 'der' | 'pem'), opensslText(cert)
 * Dates     days(n, from?) — a Date n days from `from` (default now)
 * Temp dir  tempDir() → { path, write(name, bytes), cleanup() }
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AsnConvert, AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import { Name, X509Certificate } from '@peculiar/x509';
import { parseCertificate, type Cert } from '@/lib/pki/cert';

const genKeyPair = promisify(generateKeyPair);

// ---------------------------------------------------------------- keys

export type KeySpec = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519';
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface KeyPair {
  spec: KeySpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
}

export async function genKey(spec: KeySpec = 'rsa2048'): Promise<KeyPair> {
  let kp: { privateKey: KeyObject; publicKey: KeyObject };
  if (spec.startsWith('rsa')) kp = await genKeyPair('rsa', { modulusLength: Number(spec.slice(3)) });
  else if (spec === 'ed25519') kp = await genKeyPair('ed25519');
  else kp = await genKeyPair('ec', { namedCurve: { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1' }[spec as 'p256'] });
  return { spec, ...kp, spki: new Uint8Array(kp.publicKey.export({ type: 'spki', format: 'der' })) };
}

/**
 * A subject key given only as its SubjectPublicKeyInfo (DSA, P-192, explicit EC parameters, odd RSA sizes):
 * enough for a certificate that signs nothing. Its private half is a stand-in and must not sign.
 */
export async function subjectKey(spki: Uint8Array): Promise<KeyPair> {
  const stand = await genKey('p256');
  return { ...stand, spki };
}

const SIG_OIDS: Record<'rsa' | 'ec', Record<HashName, string>> = {
  rsa: { 'SHA-1': '1.2.840.113549.1.1.5', 'SHA-256': '1.2.840.113549.1.1.11', 'SHA-384': '1.2.840.113549.1.1.12', 'SHA-512': '1.2.840.113549.1.1.13' },
  ec: { 'SHA-1': '1.2.840.10045.4.1', 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-384': '1.2.840.10045.4.3.3', 'SHA-512': '1.2.840.10045.4.3.4' },
};

function sigAlg(key: KeyPair, hash: HashName): x.AlgorithmIdentifier {
  if (key.spec === 'ed25519') return new x.AlgorithmIdentifier({ algorithm: '1.3.101.112' });
  if (key.spec.startsWith('rsa')) return new x.AlgorithmIdentifier({ algorithm: SIG_OIDS.rsa[hash], parameters: null });
  return new x.AlgorithmIdentifier({ algorithm: SIG_OIDS.ec[hash] });
}

function signTbs(key: KeyPair, hash: HashName, tbs: Uint8Array): Uint8Array {
  // node signs ECDSA in DER (the X.509 form) by default; Ed25519 takes no digest.
  const digest = key.spec === 'ed25519' ? null : hash.replace('-', '').toLowerCase();
  return new Uint8Array(sign(digest, tbs, key.privateKey));
}

function flipByte(sig: Uint8Array): Uint8Array {
  const out = new Uint8Array(sig);
  out[Math.floor(out.length / 2)] ^= 0x5a;
  return out;
}

// ---------------------------------------------------------------- names and extensions

export type SanEntry =
  | { type: 'upn' | 'rfc822' | 'dns' | 'uri' | 'ip' | 'dirName' | 'registeredId'; value: string }
  | { type: 'otherName'; oid: string; value: string };

/** An extension given as its OID and the DER inside the OCTET STRING. */
export interface RawExtension {
  oid: string;
  critical?: boolean;
  der: Uint8Array;
}

/** "CN=Alice, O=Contoso, C=US" is read like RFC 4514 and Windows write it: the last RDN is encoded first. */
function asnName(dn: string): x.Name {
  const parsed = AsnConvert.parse(new Name(dn).toArrayBuffer(), x.Name);
  return new x.Name([...parsed].reverse());
}

function utf8String(v: string): ArrayBuffer {
  return AsnSerializer.serialize(new x.DirectoryString({ utf8String: v }));
}

function generalName(s: SanEntry): x.GeneralName {
  switch (s.type) {
    case 'upn':
      return new x.GeneralName({ otherName: new x.OtherName({ typeId: '1.3.6.1.4.1.311.20.2.3', value: utf8String(s.value) }) });
    case 'otherName':
      return new x.GeneralName({ otherName: new x.OtherName({ typeId: s.oid, value: utf8String(s.value) }) });
    case 'rfc822':
      return new x.GeneralName({ rfc822Name: s.value });
    case 'dns':
      return new x.GeneralName({ dNSName: s.value });
    case 'uri':
      return new x.GeneralName({ uniformResourceIdentifier: s.value });
    case 'ip':
      return new x.GeneralName({ iPAddress: s.value });
    case 'dirName':
      return new x.GeneralName({ directoryName: asnName(s.value) });
    case 'registeredId':
      return new x.GeneralName({ registeredID: s.value });
  }
}

const KU_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsageName = (typeof KU_BITS)[number];

export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  smartCardLogon: '1.3.6.1.4.1.311.20.2.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  any: '2.5.29.37.0',
} as const;

function keyUsageDer(names: KeyUsageName[]): Uint8Array {
  let flags = 0;
  for (const n of names) flags |= 1 << KU_BITS.indexOf(n);
  return new Uint8Array(AsnConvert.serialize(new x.KeyUsage(flags)));
}

/** A distribution point: a list of URLs (one fullName), or a fuller description. */
export type DpSpec = string[] | { urls?: string[]; dirNames?: string[]; reasons?: number; crlIssuer?: string[] };

function dpsDer(dps: DpSpec[], freshest = false): Uint8Array {
  const list = dps.map((d) => {
    const spec = Array.isArray(d) ? { urls: d } : d;
    const names = [...(spec.urls ?? []).map((u) => new x.GeneralName({ uniformResourceIdentifier: u })), ...(spec.dirNames ?? []).map((n) => new x.GeneralName({ directoryName: asnName(n) }))];
    return new x.DistributionPoint({
      distributionPoint: names.length ? new x.DistributionPointName({ fullName: names }) : undefined,
      reasons: spec.reasons !== undefined ? new x.Reason(spec.reasons) : undefined,
      cRLIssuer: spec.crlIssuer?.map((n) => new x.GeneralName({ directoryName: asnName(n) })),
    });
  });
  return new Uint8Array(AsnConvert.serialize(freshest ? new x.FreshestCRL(list) : new x.CRLDistributionPoints(list)));
}

function ext(oid: string, critical: boolean, der: Uint8Array | ArrayBuffer): x.Extension {
  return new x.Extension({ extnID: oid, critical, extnValue: new OctetString(der) });
}

function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

function keyIdOf(spki: Uint8Array): string {
  // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents.
  const info = AsnConvert.parse(spki, x.SubjectPublicKeyInfo);
  return createHash('sha1').update(new Uint8Array(info.subjectPublicKey)).digest('hex');
}

// ---------------------------------------------------------------- certificates

export interface CertOptions {
  /** Distinguished name, most significant last as Windows shows it: "CN=Alice Smith, O=Contoso, C=US" encodes C first. */
  subject: string;
  /** Signing certificate; absent = self-signed. */
  issuer?: GenCert;
  /** The certificate's own key (default: a new RSA 2048 key). */
  key?: KeyPair | KeySpec;
  /** Sign with this key instead of the issuer's (a forged/other-CA certificate that names the same issuer). */
  signingKey?: KeyPair;
  /** Issuer DN written into the certificate (default: the issuer's subject). */
  issuerName?: string;
  hash?: HashName;
  /** Hex, big-endian (default: 16 random bytes, positive). */
  serial?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** 1 writes a v1 certificate without any extension; 2 a v2 certificate that still carries the extensions. */
  version?: 1 | 2 | 3;
  /** Write the serial bytes exactly as given (a leading byte >= 0x80 makes it negative). */
  serialRaw?: boolean;
  san?: SanEntry[] | null;
  sanCritical?: boolean;
  eku?: string[] | null;
  keyUsage?: KeyUsageName[] | null;
  keyUsageCritical?: boolean;
  /** null = no basic constraints extension. */
  basicConstraints?: { ca: boolean; pathLen?: number; critical?: boolean } | null;
  /** Each entry is one distribution point (a list of URLs or a fuller spec). */
  cdp?: DpSpec[] | null;
  freshestCrl?: DpSpec[] | null;
  aia?: { caIssuers?: string[]; ocsp?: string[] } | null;
  /** true (default) = key id from the key; a hex string = that value; false = none. */
  ski?: boolean | string;
  /** true (default unless self-signed) = the issuer's SKI; a hex string = that value; false = none. */
  aki?: boolean | string;
  /** Extra raw extensions, appended after the others. */
  extensions?: RawExtension[];
  /** Flip a byte of the signature after signing. */
  badSignature?: boolean;
}

export interface GenCert {
  der: Uint8Array<ArrayBuffer>;
  pem: string;
  key: KeyPair;
  /** Subject DN as given. */
  subject: string;
  issuerName: string;
  /** Subject key identifier written (lower-case hex), if any; else the computed key id. */
  ski: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** The lib's parsed model. */
  cert: Cert;
  x509(): X509Certificate;
}

export function days(n: number, from: Date = new Date()): Date {
  return new Date(from.getTime() + n * 86_400_000);
}

function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x10; // positive, no leading zero byte
  return b.toString('hex');
}

function serialBytes(hex: string): ArrayBuffer {
  let b = hexToBytes(hex);
  if (b[0] & 0x80) b = new Uint8Array([0, ...b]);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export async function makeCert(o: CertOptions): Promise<GenCert> {
  const key = typeof o.key === 'object' ? o.key : await genKey(o.key ?? 'rsa2048');
  const selfSigned = !o.issuer;
  const signer = o.signingKey ?? (o.issuer ? o.issuer.key : key);
  const issuerName = o.issuerName ?? (o.issuer ? o.issuer.subject : o.subject);
  const hash = o.hash ?? 'SHA-256';
  const serial = (o.serial ?? randomSerial()).toLowerCase();
  const notBefore = o.notBefore ?? days(-1);
  const notAfter = o.notAfter ?? days(365, notBefore);
  const keyId = typeof o.ski === 'string' ? o.ski.toLowerCase() : keyIdOf(key.spki);

  const exts: x.Extension[] = [];
  if (o.version !== 1) {
    if (o.basicConstraints)
      exts.push(ext(x.id_ce_basicConstraints, o.basicConstraints.critical ?? true, AsnConvert.serialize(new x.BasicConstraints({ cA: o.basicConstraints.ca, pathLenConstraint: o.basicConstraints.pathLen }))));
    if (o.keyUsage) exts.push(ext(x.id_ce_keyUsage, o.keyUsageCritical ?? true, keyUsageDer(o.keyUsage)));
    if (o.eku) exts.push(ext(x.id_ce_extKeyUsage, false, AsnConvert.serialize(new x.ExtendedKeyUsage(o.eku))));
    if (o.ski !== false) exts.push(ext(x.id_ce_subjectKeyIdentifier, false, AsnConvert.serialize(new x.SubjectKeyIdentifier(hexToBytes(keyId)))));
    const akiWanted = o.aki ?? !selfSigned;
    if (akiWanted !== false) {
      const id = typeof akiWanted === 'string' ? akiWanted : o.issuer ? o.issuer.ski : keyId;
      exts.push(ext(x.id_ce_authorityKeyIdentifier, false, AsnConvert.serialize(new x.AuthorityKeyIdentifier({ keyIdentifier: new x.KeyIdentifier(hexToBytes(id)) }))));
    }
    if (o.san?.length) exts.push(ext(x.id_ce_subjectAltName, o.sanCritical ?? false, AsnConvert.serialize(new x.SubjectAlternativeName(o.san.map(generalName)))));
    if (o.cdp?.length) exts.push(ext(x.id_ce_cRLDistributionPoints, false, dpsDer(o.cdp)));
    if (o.freshestCrl?.length) exts.push(ext(x.id_ce_freshestCRL, false, dpsDer(o.freshestCrl, true)));
    if (o.aia && (o.aia.caIssuers?.length || o.aia.ocsp?.length)) {
      const items = [
        ...(o.aia.ocsp ?? []).map((u) => new x.AccessDescription({ accessMethod: x.id_ad_ocsp, accessLocation: new x.GeneralName({ uniformResourceIdentifier: u }) })),
        ...(o.aia.caIssuers ?? []).map((u) => new x.AccessDescription({ accessMethod: x.id_ad_caIssuers, accessLocation: new x.GeneralName({ uniformResourceIdentifier: u }) })),
      ];
      exts.push(ext(x.id_pe_authorityInfoAccess, false, AsnConvert.serialize(new x.AuthorityInfoAccessSyntax(items))));
    }
    for (const r of o.extensions ?? []) exts.push(ext(r.oid, r.critical ?? false, r.der));
  }

  const alg = sigAlg(signer, hash);
  const tbs = new x.TBSCertificate({
    version: o.version === 1 ? x.Version.v1 : o.version === 2 ? x.Version.v2 : x.Version.v3,
    serialNumber: o.serialRaw ? (hexToBytes(serial).slice().buffer as ArrayBuffer) : serialBytes(serial),
    signature: alg,
    issuer: asnName(issuerName),
    validity: new x.Validity({ notBefore, notAfter }),
    subject: asnName(o.subject),
    subjectPublicKeyInfo: AsnConvert.parse(key.spki, x.SubjectPublicKeyInfo),
    extensions: exts.length ? new x.Extensions(exts) : undefined,
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  let sig = signTbs(signer, hash, tbsDer);
  if (o.badSignature) sig = flipByte(sig);
  const der = new Uint8Array(AsnConvert.serialize(new x.Certificate({ tbsCertificate: tbs, signatureAlgorithm: alg, signatureValue: sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer })));
  return {
    der,
    pem: toPem(der),
    key,
    subject: o.subject,
    issuerName,
    ski: keyId,
    serial,
    notBefore,
    notAfter,
    cert: parseCertificate(der),
    x509: () => new X509Certificate(der),
  };
}

// ---------------------------------------------------------------- a standard PKI

export interface PkiOptions {
  /** The user's sign-in address, written as the UPN SAN unless `user.san` says otherwise. */
  upn?: string;
  root?: Partial<CertOptions>;
  ca?: Partial<CertOptions>;
  user?: Partial<CertOptions>;
  /** Base URL for CDP/AIA defaults. */
  baseUrl?: string;
}

export interface Pki {
  root: GenCert;
  ca: GenCert;
  user: GenCert;
}

export const PKI_URLS = (base = 'http://pki.contoso.com') => ({
  rootCrl: `${base}/crl/contoso-root.crl`,
  caCrl: `${base}/crl/contoso-issuing.crl`,
  caDeltaCrl: `${base}/crl/contoso-issuing+.crl`,
  rootCert: `${base}/aia/contoso-root.crt`,
  caCert: `${base}/aia/contoso-issuing.crt`,
});

export function rootOptions(over: Partial<CertOptions> = {}): CertOptions {
  return {
    subject: 'CN=Contoso Root CA, O=Contoso, C=US',
    basicConstraints: { ca: true, critical: true },
    keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
    notBefore: days(-365),
    notAfter: days(3650),
    ...over,
  };
}

export async function makePki(o: PkiOptions = {}): Promise<Pki> {
  const u = PKI_URLS(o.baseUrl);
  const upn = o.upn ?? 'alice@contoso.com';
  const root = await makeCert(rootOptions(o.root));
  const ca = await makeCert({
    subject: 'CN=Contoso Issuing CA 1, O=Contoso, C=US',
    issuer: root,
    basicConstraints: { ca: true, pathLen: 0, critical: true },
    keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
    cdp: [[u.rootCrl]],
    aia: { caIssuers: [u.rootCert] },
    notBefore: days(-180),
    notAfter: days(1825),
    ...o.ca,
  });
  const user = await makeCert(userOptions(ca, { upn, baseUrl: o.baseUrl }, o.user));
  return { root, ca, user };
}

/** The defaults makePki gives the user certificate, issued by `ca`. */
export function userOptions(ca: GenCert, o: { upn?: string; baseUrl?: string } = {}, over: Partial<CertOptions> = {}): CertOptions {
  const u = PKI_URLS(o.baseUrl);
  return {
    subject: 'CN=Alice Smith, OU=Users, O=Contoso, C=US',
    issuer: ca,
    san: [{ type: 'upn', value: o.upn ?? 'alice@contoso.com' }],
    eku: [EKU.clientAuth],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    cdp: [[u.caCrl]],
    aia: { caIssuers: [u.caCert] },
    notBefore: days(-30),
    notAfter: days(335),
    ...over,
  };
}

/** Another user certificate from the same issuing CA (makePki's defaults, then `over`). */
export function makeUser(pki: Pki, over: Partial<CertOptions> = {}, o: { upn?: string; baseUrl?: string } = {}): Promise<GenCert> {
  return makeCert(userOptions(pki.ca, o, over));
}

// ---------------------------------------------------------------- CRLs

export type CrlReasonName =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

export interface CrlOptions {
  /** The CA whose name and key issue the CRL. */
  issuer: GenCert;
  /** Sign with another key (a CRL "signed by another key"). */
  signingKey?: KeyPair;
  /** Issuer DN written into the CRL (default: the issuer's subject). */
  issuerName?: string;
  hash?: HashName;
  thisUpdate?: Date;
  /** null = no nextUpdate. Default: thisUpdate + 7 days. */
  nextUpdate?: Date | null;
  revoked?: { serial: string; date?: Date; reason?: CrlReasonName | number; invalidity?: Date; extensions?: RawExtension[] }[];
  /** null = no CRL number extension. Default 1. */
  crlNumber?: number | bigint | null;
  /** Mark the cRLNumber extension critical (RFC 5280 5.2.3 says it MUST NOT be). */
  crlNumberCritical?: boolean;
  /** Makes a delta CRL with this base CRL number. */
  deltaIndicator?: number | bigint;
  /** true (default) = the issuer's SKI; string = that key id; false = none. */
  aki?: boolean | string;
  idp?: { urls?: string[]; onlyContainsUserCerts?: boolean; onlyContainsCACerts?: boolean; indirectCRL?: boolean; onlySomeReasons?: number; critical?: boolean };
  freshestCrl?: DpSpec[];
  /** Microsoft Next CRL Publish (1.3.6.1.4.1.311.21.4). */
  nextPublish?: Date;
  extensions?: RawExtension[];
  /** 1 writes a v1 CRL (no extensions at all). */
  version?: 1 | 2;
  badSignature?: boolean;
}

export interface GenCrl {
  der: Uint8Array<ArrayBuffer>;
  pem: string;
}

const REASONS: Record<CrlReasonName, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

function integerDer(n: number | bigint): Uint8Array {
  let hex = BigInt(n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = hexToBytes(hex);
  if (b[0] & 0x80) b = new Uint8Array([0, ...b]);
  return new Uint8Array([0x02, b.length, ...b]);
}

function timeDer(d: Date): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new x.Time(d)));
}

export async function makeCrl(o: CrlOptions): Promise<GenCrl> {
  const signer = o.signingKey ?? o.issuer.key;
  const hash = o.hash ?? 'SHA-256';
  const thisUpdate = o.thisUpdate ?? days(-1);
  const nextUpdate = o.nextUpdate === null ? undefined : (o.nextUpdate ?? days(7, thisUpdate));
  const v1 = o.version === 1;
  const exts: x.Extension[] = [];
  if (!v1) {
    const aki = o.aki ?? true;
    if (aki !== false) exts.push(ext(x.id_ce_authorityKeyIdentifier, false, AsnConvert.serialize(new x.AuthorityKeyIdentifier({ keyIdentifier: new x.KeyIdentifier(hexToBytes(typeof aki === 'string' ? aki : o.issuer.ski)) }))));
    if (o.crlNumber !== null) exts.push(ext(x.id_ce_cRLNumber, o.crlNumberCritical ?? false, integerDer(o.crlNumber ?? 1)));
    if (o.deltaIndicator !== undefined) exts.push(ext(x.id_ce_deltaCRLIndicator, true, integerDer(o.deltaIndicator)));
    if (o.idp) {
      const idp = new x.IssuingDistributionPoint({
        distributionPoint: o.idp.urls?.length ? new x.DistributionPointName({ fullName: o.idp.urls.map((u) => new x.GeneralName({ uniformResourceIdentifier: u })) }) : undefined,
        onlyContainsUserCerts: o.idp.onlyContainsUserCerts ?? false,
        onlyContainsCACerts: o.idp.onlyContainsCACerts ?? false,
        indirectCRL: o.idp.indirectCRL ?? false,
        onlySomeReasons: o.idp.onlySomeReasons !== undefined ? new x.Reason(o.idp.onlySomeReasons) : undefined,
      });
      exts.push(ext(x.id_ce_issuingDistributionPoint, o.idp.critical ?? true, AsnConvert.serialize(idp)));
    }
    if (o.freshestCrl?.length) exts.push(ext(x.id_ce_freshestCRL, false, dpsDer(o.freshestCrl, true)));
    if (o.nextPublish) exts.push(ext('1.3.6.1.4.1.311.21.4', false, timeDer(o.nextPublish)));
    for (const r of o.extensions ?? []) exts.push(ext(r.oid, r.critical ?? false, r.der));
  }
  const revoked = (o.revoked ?? []).map((r) => {
    const entryExts: x.Extension[] = [];
    if (!v1) {
      if (r.reason !== undefined) {
        const code = typeof r.reason === 'number' ? r.reason : REASONS[r.reason];
        entryExts.push(ext(x.id_ce_cRLReasons, false, new Uint8Array([0x0a, 0x01, code])));
      }
      // RFC 5280: GeneralizedTime without fractional seconds.
      if (r.invalidity) entryExts.push(ext(x.id_ce_invalidityDate, false, AsnConvert.serialize(new x.InvalidityDate(new Date(Math.floor(r.invalidity.getTime() / 1000) * 1000)))));
      for (const e of r.extensions ?? []) entryExts.push(ext(e.oid, e.critical ?? false, e.der));
    }
    return new x.RevokedCertificate({
      userCertificate: serialBytes(r.serial),
      revocationDate: new x.Time(r.date ?? days(-1, thisUpdate)),
      crlEntryExtensions: entryExts.length ? entryExts : undefined,
    });
  });
  const alg = sigAlg(signer, hash);
  const tbs = new x.TBSCertList({
    version: v1 ? undefined : x.Version.v2,
    signature: alg,
    issuer: asnName(o.issuerName ?? o.issuer.subject),
    thisUpdate: new x.Time(thisUpdate),
    nextUpdate: nextUpdate ? new x.Time(nextUpdate) : undefined,
    revokedCertificates: revoked.length ? revoked : undefined,
    crlExtensions: exts.length ? exts : undefined,
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  let sig = signTbs(signer, hash, tbsDer);
  if (o.badSignature) sig = flipByte(sig);
  const der = new Uint8Array(AsnConvert.serialize(new x.CertificateList({ tbsCertList: tbs, signatureAlgorithm: alg, signature: sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer })));
  return { der, pem: toPem(der, 'X509 CRL') };
}

// ---------------------------------------------------------------- file formats

export function base64Body(der: Uint8Array, eol = '\n'): string {
  return (Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? []).join(eol);
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE', eol = '\n'): string {
  return `-----BEGIN ${label}-----${eol}${base64Body(der, eol)}${eol}-----END ${label}-----${eol}`;
}

type DerLike = Uint8Array | { der: Uint8Array };
const derOf = (d: DerLike) => (d instanceof Uint8Array ? d : d.der);

/** `openssl x509 -text -noout` output for a certificate (what people paste above the PEM block). */
export function opensslText(c: DerLike): string {
  return execFileSync('openssl', ['x509', '-inform', 'DER', '-text', '-noout'], { input: derOf(c) }).toString('utf8');
}

export interface BundleOptions {
  /** Text before the first block. */
  before?: string;
  /** Text between blocks. */
  between?: string;
  after?: string;
  /** Put realistic text around each certificate: `openssl` (x509 -text dump and pkcs12 bag attributes) or `windows`. */
  text?: 'openssl' | 'windows';
  crlf?: boolean;
  bom?: boolean;
}

/** Several certificates as one PEM file; returns the bytes as they would be uploaded. */
export function pemBundle(items: DerLike[], o: BundleOptions = {}): Uint8Array {
  const eol = o.crlf ? '\r\n' : '\n';
  const parts: string[] = [];
  items.forEach((it, i) => {
    const der = derOf(it);
    if (i === 0 && o.before) parts.push(o.before);
    if (i > 0 && o.between) parts.push(o.between);
    if (o.text === 'openssl') {
      const c = parseCertificate(der);
      parts.push(`Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: ${c.subject.display}\nsubject=${c.subject.display}\nissuer=${c.issuer.display}\n`);
      parts.push(opensslText(der));
    } else if (o.text === 'windows') {
      const c = parseCertificate(der);
      parts.push(`Subject: ${c.subject.display}\nIssuer: ${c.issuer.display}\nSerial Number: ${c.serialHex}\nCert Hash(sha1): ${c.sha1.toLowerCase()}\n`);
    }
    parts.push(toPem(der));
  });
  if (o.after) parts.push(o.after);
  let text = parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
  if (o.crlf) text = text.replace(/\r?\n/g, eol);
  const body = Buffer.from(text, 'utf8');
  return new Uint8Array(o.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
}

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cbad-gen-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PKCS#7 certificate bundle (.p7b), like `openssl crl2pkcs7 -nocrl`. */
export function pkcs7(items: DerLike[], form: 'der' | 'pem' = 'der'): Uint8Array {
  return withTemp((dir) => {
    const args = ['crl2pkcs7', '-nocrl', '-outform', form.toUpperCase()];
    items.forEach((it, i) => {
      const f = join(dir, `c${i}.pem`);
      writeFileSync(f, toPem(derOf(it)));
      args.push('-certfile', f);
    });
    return new Uint8Array(execFileSync('openssl', args));
  });
}

/** A PKCS#12/PFX file holding the certificate, its private key and optional chain. */
export function pkcs12(c: GenCert, chain: DerLike[] = [], password = 'test'): Uint8Array {
  return withTemp((dir) => {
    writeFileSync(join(dir, 'cert.pem'), c.pem);
    writeFileSync(join(dir, 'key.pem'), c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const args = ['pkcs12', '-export', '-in', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-passout', `pass:${password}`, '-out', join(dir, 'out.p12')];
    if (chain.length) {
      writeFileSync(join(dir, 'chain.pem'), chain.map((d) => toPem(derOf(d))).join(''));
      args.push('-certfile', join(dir, 'chain.pem'));
    }
    execFileSync('openssl', args);
    return new Uint8Array(readFileSync(join(dir, 'out.p12')));
  });
}

export type PrivateKeyForm = 'pkcs8-pem' | 'pkcs8-der' | 'pkcs8-encrypted-pem' | 'pkcs8-encrypted-der' | 'rsa-pem' | 'rsa-der' | 'ec-pem' | 'ec-der';

/** The private key in one of the forms people save it in. rsa-* needs an RSA key, ec-* an EC key. */
export function privateKeyFile(key: KeyPair, form: PrivateKeyForm): Uint8Array {
  const k = key.privateKey;
  const enc = { cipher: 'aes-256-cbc', passphrase: 'test' };
  const out = (() => {
    switch (form) {
      case 'pkcs8-pem':
        return k.export({ type: 'pkcs8', format: 'pem' });
      case 'pkcs8-der':
        return k.export({ type: 'pkcs8', format: 'der' });
      case 'pkcs8-encrypted-pem':
        return k.export({ type: 'pkcs8', format: 'pem', ...enc });
      case 'pkcs8-encrypted-der':
        return k.export({ type: 'pkcs8', format: 'der', ...enc });
      case 'rsa-pem':
        return k.export({ type: 'pkcs1', format: 'pem' });
      case 'rsa-der':
        return k.export({ type: 'pkcs1', format: 'der' });
      case 'ec-pem':
        return k.export({ type: 'sec1', format: 'pem' });
      case 'ec-der':
        return k.export({ type: 'sec1', format: 'der' });
    }
  })();
  return new Uint8Array(typeof out === 'string' ? Buffer.from(out) : out);
}

/** A PKCS#10 certificate request (what people sometimes upload instead of the issued certificate). */
export function csr(key: KeyPair, subject = '/CN=Alice Smith', form: 'der' | 'pem' = 'pem'): Uint8Array {
  return withTemp((dir) => {
    writeFileSync(join(dir, 'key.pem'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    return new Uint8Array(execFileSync('openssl', ['req', '-new', '-key', join(dir, 'key.pem'), '-subj', subject, '-outform', form.toUpperCase()]));
  });
}

// ---------------------------------------------------------------- temp files

export interface TempDir {
  path: string;
  /** Writes a file and returns its full path. */
  write(name: string, data: Uint8Array | string): string;
  cleanup(): void;
}

export function tempDir(prefix = 'cbad-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, data) {
      const f = join(path, name);
      writeFileSync(f, data);
      return f;
    },
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------- name constraints (raw DER, any size)

function derTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
}

/** One GeneralSubtree base: dNSName, rfc822Name, URI (host), or iPAddress with mask (8 or 32 octets). */
export type NcBase = { dns: string } | { email: string } | { ip: number[] } | { uri: string };

function ncBase(b: NcBase): Uint8Array {
  const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  if ('dns' in b) return derTlv(0x82, ascii(b.dns));
  if ('email' in b) return derTlv(0x81, ascii(b.email));
  if ('uri' in b) return derTlv(0x86, ascii(b.uri));
  return derTlv(0x87, new Uint8Array(b.ip));
}

/** A nameConstraints extension (RFC 5280 4.2.1.10), critical unless told otherwise. */
export function nameConstraintsExt(permitted: NcBase[], excluded: NcBase[] = [], critical = true): RawExtension {
  const subtrees = (tag: number, list: NcBase[]) => (list.length ? [derTlv(tag, ...list.map((b) => derTlv(0x30, ncBase(b))))] : []);
  return { oid: '2.5.29.30', critical, der: derTlv(0x30, ...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded)) };
}
