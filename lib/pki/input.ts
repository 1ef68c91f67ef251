// Turns uploaded files into certificates. Accepts DER (one or several concatenated), PEM (any number of
// blocks, with the text openssl and Windows put around them, CRLF, UTF-8 or UTF-16 with a BOM), Base-64
// without armour, and PKCS#7 bundles in DER, BER or PEM. Refuses PKCS#12/PFX and private keys outright:
// nothing of such a file is kept, and the message tells the user how to export without the key.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { children, DerError, readTlv, slice, value } from './der';
import { CertificateParseError, decodeOid, parseCertificate, type Cert } from './cert';
import type { FileKind, FileRefusal, InputFileResult } from './types';

export const MAX_CERT_FILE_BYTES = 1024 * 1024;
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';

export interface ParsedFile {
  result: Omit<InputFileResult, 'refs'>;
  certs: Cert[];
}

const EXPORT_HINT =
  'Export the certificate without its private key: in certmgr.msc or the Certificates console choose All Tasks > Export > "No, do not export the private key" and save as DER (.cer) or Base-64 (.cer); with OpenSSL run `openssl pkcs12 -in file.pfx -nokeys -out cert.pem`.';
const MSG_PKCS12 = `This is a PKCS#12/PFX file, which holds a private key. CBA Doctor never accepts private keys. ${EXPORT_HINT}`;
const MSG_KEY = `This file holds a private key. CBA Doctor never accepts private keys. ${EXPORT_HINT}`;
const MSG_CRL =
  'This is a certificate revocation list (CRL), not a certificate. Give CRL files with --crl (CLI), or upload the certificate (.cer) instead.';
const MSG_CSR = 'This is a certificate request (CSR), not a certificate. Upload the certificate the CA issued for it (.cer), not the request.';
const MSG_NOT_CERT = 'This file is not a certificate: it is neither DER nor PEM nor a PKCS#7 bundle. Export the certificate as DER or Base-64 encoded X.509 (.cer).';

export class RefusedFile extends Error {
  constructor(
    readonly reason: FileRefusal,
    message: string,
  ) {
    super(message);
  }
}

function refuse(reason: FileRefusal, message: string): never {
  throw new RefusedFile(reason, message);
}

// Anything that announces a private key is refused, even a block cut short before its END line.
const PRIVATE_KEY_MARK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 #./_-]+)-----([\s\S]*?)-----END \1-----/g;
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'X.509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);
const CRL_LABELS = new Set(['X509 CRL', 'CRL']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

function decodeBase64Strict(body: string): Uint8Array | undefined {
  // PEM bodies may carry RFC 1421 headers (Proc-Type...) before a blank line.
  const lines = body.split(/\r?\n|\r/).map((l) => l.trim());
  const data = lines.filter((l) => l && !/^[A-Za-z-]+:/.test(l)).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length === 0) return undefined;
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/**
 * The file as text when it is text: UTF-8 (BOM or not) or UTF-16 (BOM, or the NUL pattern of ASCII
 * text saved as UTF-16). Binary files (DER) give undefined.
 */
function asText(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
  if (b.length >= 4 && b.length % 2 === 0 && b[0] !== 0 && b[1] === 0 && b[3] === 0) return b.toString('utf16le');
  if (b.length >= 4 && b.length % 2 === 0 && b[0] === 0 && b[1] !== 0 && b[2] === 0) return Buffer.from(b).swap16().toString('utf16le');
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  // Text has no control characters other than tab, CR, LF (and a stray form feed or Ctrl-Z at the end).
  for (let i = start; i < b.length; i++) {
    const c = b[i];
    // A stray control byte in the text around a PEM block must not hide the block.
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) return b.includes('-----BEGIN ') ? b.subarray(start).toString('utf8') : undefined;
  }
  return b.subarray(start).toString('utf8');
}

// ---------------------------------------------------------------- PKCS#7 (pkijs)

/** The SignedData of a PKCS#7/CMS ContentInfo, BER included (streaming tools write indefinite lengths). */
function signedDataOf(der: Uint8Array): pkijs.SignedData | undefined {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.byteLength) return undefined;
  try {
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) return undefined;
    return new pkijs.SignedData({ schema: ci.content });
  } catch {
    return undefined;
  }
}

function isPkcs7(der: Uint8Array): boolean {
  return signedDataOf(der) !== undefined;
}

/** The certificates of a PKCS#7 SignedData (each one DER, even inside a BER container), and how many CRLs it holds. */
function pkcs7Contents(der: Uint8Array): { certs: Uint8Array[]; crls: number } {
  const sd = signedDataOf(der);
  if (!sd) throw new DerError('not a PKCS#7 SignedData');
  const certs = (sd.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  return { certs, crls: sd.crls?.length ?? 0 };
}

// ---------------------------------------------------------------- DER

type DerKind = 'pkcs12' | 'private-key' | 'pkcs7' | 'crl' | 'csr' | 'unknown';

/** Structural sniffing of DER blobs that are not certificates, so the user hears what the file really is. */
function classifyDer(der: Uint8Array): DerKind {
  if (isPkcs7(der)) return 'pkcs7';
  try {
    const top = readTlv(der, 0);
    if (top.tag !== 0x30) return 'unknown';
    const kids = children(der, top);
    // PFX: SEQUENCE { INTEGER 3, ContentInfo { data ... }, macData? }
    if (kids[0]?.tag === 0x02 && kids[1]?.tag === 0x30) {
      const ver = value(der, kids[0]);
      const ci = children(der, kids[1]);
      if (ver.length === 1 && ver[0] === 3 && ci[0]?.tag === 0x06) {
        const oid = decodeOid(value(der, ci[0]));
        if (oid === OID_DATA || oid === OID_SIGNED_DATA) return 'pkcs12';
      }
      // PKCS#8: SEQUENCE { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING }
      if (kids[2]?.tag === 0x04) return 'private-key';
    }
    // RSA private key: SEQUENCE of 9+ INTEGERs; EC private key: SEQUENCE { INTEGER 1, OCTET STRING, ... }
    if (kids.length >= 9 && kids.every((k) => k.tag === 0x02)) return 'private-key';
    if (kids[0]?.tag === 0x02 && kids[1]?.tag === 0x04) return 'private-key';
    // Encrypted PKCS#8: SEQUENCE { AlgorithmIdentifier, OCTET STRING }
    if (kids.length === 2 && kids[0]?.tag === 0x30 && kids[1]?.tag === 0x04) return 'private-key';
    if (kids.length === 3 && kids[0]?.tag === 0x30) {
      const tbs = children(der, kids[0]);
      // CRL: TBSCertList has issuer Name then a time; a certificate has serial INTEGER then AlgId.
      const t = tbs[0]?.tag === 0x02 ? tbs.slice(1) : tbs;
      if (t[0]?.tag === 0x30 && t[1]?.tag === 0x30 && (t[2]?.tag === 0x17 || t[2]?.tag === 0x18)) return 'crl';
      // PKCS#10: CertificationRequestInfo { INTEGER 0, Name, SPKI, [0] attributes }
      if (tbs[0]?.tag === 0x02 && tbs[1]?.tag === 0x30 && tbs[2]?.tag === 0x30 && tbs[3]?.tag === 0xa0) return 'csr';
    }
  } catch {
    /* not DER */
  }
  return 'unknown';
}

function refuseKind(kind: DerKind): void {
  if (kind === 'pkcs12') refuse('pkcs12', MSG_PKCS12);
  if (kind === 'private-key') refuse('private-key', MSG_KEY);
}

function certsOfPkcs7(der: Uint8Array, notes: string[]): Cert[] {
  const { certs: blobs, crls } = pkcs7Contents(der);
  const certs: Cert[] = [];
  for (const b of blobs) {
    try {
      certs.push(parseCertificate(b));
    } catch (e) {
      notes.push(`a certificate inside the PKCS#7 bundle could not be read: ${(e as Error).message}`);
    }
  }
  if (crls) notes.push(`the PKCS#7 bundle also holds ${crls} CRL(s), which were ignored (give CRLs with --crl)`);
  if (!certs.length) refuse('not-a-certificate', 'This PKCS#7 bundle holds no readable certificate. Export it again with "Include all certificates in the certification path".');
  return certs;
}

/** Certificates written back to back in one binary file (cat a.cer b.cer), or one followed by stray bytes. */
function concatenated(der: Uint8Array, notes: string[]): Cert[] | undefined {
  const out: Cert[] = [];
  let p = 0;
  try {
    while (p < der.length) {
      if (der.subarray(p).every((c) => c === 0 || c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09)) {
        notes.push(`${der.length - p} stray byte(s) after the certificate were ignored`);
        break;
      }
      const t = readTlv(der, p);
      out.push(parseCertificate(der.subarray(p, t.end)));
      p = t.end;
    }
  } catch {
    return undefined;
  }
  return out.length ? out : undefined;
}

function fromDer(der: Uint8Array, notes: string[]): { kind: FileKind; certs: Cert[] } {
  try {
    return { kind: 'der', certs: [parseCertificate(der)] };
  } catch (e) {
    if (!(e instanceof CertificateParseError)) throw e;
  }
  const kind = classifyDer(der);
  refuseKind(kind);
  if (kind === 'pkcs7') return { kind: 'pkcs7-der', certs: certsOfPkcs7(der, notes) };
  if (kind === 'crl') refuse('not-a-certificate', MSG_CRL);
  if (kind === 'csr') refuse('not-a-certificate', MSG_CSR);
  const several = concatenated(der, notes);
  if (several) return { kind: 'der', certs: several };
  refuse('not-a-certificate', MSG_NOT_CERT);
}

// ---------------------------------------------------------------- PEM

function fromPem(text: string, notes: string[]): { kind: FileKind; certs: Cert[] } {
  const certs: Cert[] = [];
  let kind: FileKind = 'pem';
  let crls = 0;
  let csrs = 0;
  const blocks = [...text.matchAll(PEM_BLOCK)];
  for (const [, label, body] of blocks) {
    const der = decodeBase64Strict(body);
    if (!der) {
      notes.push(`PEM block "${label}" is not valid Base-64 and was skipped`);
      continue;
    }
    if (PKCS7_LABELS.has(label)) {
      certs.push(...certsOfPkcs7(der, notes));
      kind = 'pkcs7-pem';
      continue;
    }
    if (CRL_LABELS.has(label)) {
      crls++;
      notes.push('a CRL block was skipped (give CRLs with --crl)');
      continue;
    }
    if (CSR_LABELS.has(label)) {
      csrs++;
      notes.push('a certificate request (CSR) block was skipped');
      continue;
    }
    // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate SEQUENCE.
    let first = der;
    try {
      if (label === 'TRUSTED CERTIFICATE') first = slice(der, readTlv(der, 0));
      certs.push(parseCertificate(first));
      continue;
    } catch {
      /* look closer below */
    }
    // Mislabelled blocks happen (a PKCS#7 under CERTIFICATE); a key or PFX under any label is refused.
    const k = classifyDer(der);
    refuseKind(k);
    if (k === 'pkcs7') {
      certs.push(...certsOfPkcs7(der, notes));
      kind = 'pkcs7-pem';
    } else if (k === 'crl') {
      crls++;
      notes.push(`PEM block "${label}" holds a CRL and was skipped (give CRLs with --crl)`);
    } else if (k === 'csr') {
      csrs++;
      notes.push(`PEM block "${label}" holds a certificate request (CSR) and was skipped`);
    } else if (CERT_LABELS.has(label)) {
      notes.push(`a PEM ${label} block could not be read as a certificate`);
    } else {
      notes.push(`PEM block "${label}" is not a certificate and was skipped`);
    }
  }
  if (!certs.length) {
    if (blocks.length === 0) refuse('not-a-certificate', 'The file has a PEM header but no complete BEGIN/END block. Export the certificate again.');
    if (crls && crls + csrs === blocks.length && !csrs) refuse('not-a-certificate', MSG_CRL);
    if (csrs && crls + csrs === blocks.length && !crls) refuse('not-a-certificate', MSG_CSR);
    refuse('not-a-certificate', `No certificate could be read from this PEM file (${notes.join('; ')}). Export the certificate as Base-64 encoded X.509 (.cer).`);
  }
  return { kind, certs };
}

export function parseCertificateFile(fileName: string, bytes: Uint8Array, maxBytes = MAX_CERT_FILE_BYTES): ParsedFile {
  const base = { fileName, size: bytes.length, notes: [] as string[] };
  try {
    if (bytes.length === 0) refuse('empty', 'The file is empty. Export the certificate again and upload the .cer file.');
    if (bytes.length > maxBytes)
      refuse('too-big', `The file is ${bytes.length.toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')} bytes per certificate file. Upload the user certificate and its CA certificates, not a whole store.`);
    const text = asText(bytes);
    if (text !== undefined) {
      if (!text.trim()) refuse('empty', 'The file holds only blank lines. Export the certificate again and upload the .cer file.');
      if (PRIVATE_KEY_MARK.test(text)) refuse('private-key', MSG_KEY);
      if (text.includes('-----BEGIN ')) {
        const r = fromPem(text, base.notes);
        return { result: { ...base, kind: r.kind }, certs: r.certs };
      }
      // Base-64 without PEM armour (a copy of the certificate text box, certutil -encode without headers).
      const compact = text.trim();
      if (/^[A-Za-z0-9+/\s]+={0,2}$/.test(compact) && compact.length > 64) {
        const der = decodeBase64Strict(compact);
        if (der) {
          const r = fromDer(der, base.notes);
          return { result: { ...base, kind: r.kind === 'der' ? 'pem' : 'pkcs7-pem' }, certs: r.certs };
        }
      }
      refuse('not-a-certificate', 'This is a text file without a certificate in it (no BEGIN CERTIFICATE block, no Base-64). Export the certificate as DER or Base-64 encoded X.509 (.cer).');
    }
    const r = fromDer(bytes, base.notes);
    return { result: { ...base, kind: r.kind }, certs: r.certs };
  } catch (e) {
    if (e instanceof RefusedFile) return { result: { ...base, problem: { reason: e.reason, message: e.message } }, certs: [] };
    return {
      result: { ...base, problem: { reason: 'not-a-certificate', message: `This file could not be read as a certificate (${(e as Error).message}). Export it as DER or Base-64 encoded X.509 (.cer).` } },
      certs: [],
    };
  }
}
