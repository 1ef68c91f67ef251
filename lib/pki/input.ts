// Turns uploaded files into certificates. Accepts DER, PEM (any number of blocks, with the text openssl
// and Windows put around them), PKCS#7 bundles in DER or PEM. Refuses PKCS#12/PFX and private keys
// outright: nothing of such a file is kept, and the message tells the user how to export without the key.
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

const PRIVATE_KEY_LABEL = /PRIVATE KEY/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function decodeBase64Strict(body: string): Uint8Array | undefined {
  // PEM bodies may carry RFC 1421 headers (Proc-Type...) before a blank line.
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const data = lines.filter((l) => l && !/^[A-Za-z-]+:/.test(l)).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length === 0) return undefined;
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/** Structural sniffing of DER blobs that are not certificates, so the user hears what the file really is. */
function classifyDer(der: Uint8Array): { kind: 'pkcs12' | 'private-key' | 'pkcs7' | 'crl' | 'csr' | 'unknown' } {
  try {
    const top = readTlv(der, 0);
    if (top.tag !== 0x30) return { kind: 'unknown' };
    const kids = children(der, top);
    // PFX: SEQUENCE { INTEGER 3, ContentInfo { data ... }, macData? }
    if (kids[0]?.tag === 0x02 && kids[1]?.tag === 0x30) {
      const ver = value(der, kids[0]);
      const ci = children(der, kids[1]);
      if (ver.length === 1 && ver[0] === 3 && ci[0]?.tag === 0x06) {
        const oid = decodeOid(value(der, ci[0]));
        if (oid === OID_DATA || oid === OID_SIGNED_DATA) return { kind: 'pkcs12' };
      }
      // PKCS#8: SEQUENCE { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING }
      if (kids[2]?.tag === 0x04) return { kind: 'private-key' };
      // PKCS#10: SEQUENCE { CertificationRequestInfo { INTEGER 0, Name, SPKI, [0] }, ...}
    }
    // RSA private key: SEQUENCE of 9+ INTEGERs; EC private key: SEQUENCE { INTEGER 1, OCTET STRING, ... }
    if (kids.length >= 9 && kids.every((k) => k.tag === 0x02)) return { kind: 'private-key' };
    if (kids[0]?.tag === 0x02 && kids[1]?.tag === 0x04) return { kind: 'private-key' };
    // Encrypted PKCS#8: SEQUENCE { AlgorithmIdentifier, OCTET STRING }
    if (kids.length === 2 && kids[0]?.tag === 0x30 && kids[1]?.tag === 0x04) return { kind: 'private-key' };
    if (kids[0]?.tag === 0x06 && decodeOid(value(der, kids[0])) === OID_SIGNED_DATA) return { kind: 'pkcs7' };
    if (kids.length === 3 && kids[0]?.tag === 0x30) {
      const tbs = children(der, kids[0]);
      // CRL: TBSCertList has issuer Name then a time; a certificate has serial INTEGER then AlgId.
      const t = tbs[0]?.tag === 0x02 ? tbs.slice(1) : tbs;
      if (t[0]?.tag === 0x30 && t[1]?.tag === 0x30 && (t[2]?.tag === 0x17 || t[2]?.tag === 0x18)) return { kind: 'crl' };
      if (tbs[0]?.tag === 0x02 && tbs[1]?.tag === 0x30 && tbs[2]?.tag === 0x30 && tbs[3]?.tag === 0xa0) return { kind: 'csr' };
    }
  } catch {
    /* not DER */
  }
  return { kind: 'unknown' };
}

function certsFromPkcs7(der: Uint8Array): Uint8Array[] {
  const top = readTlv(der, 0);
  const [oidT, contentT] = children(der, top);
  if (!oidT || decodeOid(value(der, oidT)) !== OID_SIGNED_DATA || contentT?.tag !== 0xa0) throw new DerError('not a PKCS#7 SignedData');
  const sd = readTlv(der, contentT.valueStart, contentT.end);
  const out: Uint8Array[] = [];
  for (const k of children(der, sd)) {
    if (k.tag === 0xa0) for (const c of children(der, k)) if (c.tag === 0x30) out.push(slice(der, c));
  }
  return out;
}

function fromDer(der: Uint8Array, notes: string[]): { kind: FileKind; certs: Cert[] } {
  try {
    return { kind: 'der', certs: [parseCertificate(der)] };
  } catch (e) {
    if (!(e instanceof CertificateParseError)) throw e;
  }
  const c = classifyDer(der);
  if (c.kind === 'pkcs12') refuse('pkcs12', `This is a PKCS#12/PFX file, which holds a private key. CBA Doctor never accepts private keys. ${EXPORT_HINT}`);
  if (c.kind === 'private-key') refuse('private-key', `This file holds a private key. CBA Doctor never accepts private keys. ${EXPORT_HINT}`);
  if (c.kind === 'pkcs7') {
    const blobs = certsFromPkcs7(der);
    const certs: Cert[] = [];
    for (const b of blobs) {
      try {
        certs.push(parseCertificate(b));
      } catch (e) {
        notes.push(`a certificate inside the PKCS#7 bundle could not be read: ${(e as Error).message}`);
      }
    }
    if (!certs.length) refuse('not-a-certificate', 'This PKCS#7 bundle holds no readable certificate. Export it again with "Include all certificates in the certification path".');
    return { kind: 'pkcs7-der', certs };
  }
  if (c.kind === 'crl') refuse('not-a-certificate', 'This is a certificate revocation list (CRL), not a certificate. Give CRL files with --crl (CLI), or upload the certificate (.cer) instead.');
  if (c.kind === 'csr') refuse('not-a-certificate', 'This is a certificate request (CSR), not a certificate. Upload the issued certificate (.cer).');
  refuse('not-a-certificate', 'This file is not a certificate: it is neither DER nor PEM nor a PKCS#7 bundle. Export the certificate as DER or Base-64 encoded X.509 (.cer).');
}

export function parseCertificateFile(fileName: string, bytes: Uint8Array, maxBytes = MAX_CERT_FILE_BYTES): ParsedFile {
  const base = { fileName, size: bytes.length, notes: [] as string[] };
  try {
    if (bytes.length === 0) refuse('empty', 'The file is empty. Export the certificate again and upload the .cer file.');
    if (bytes.length > maxBytes)
      refuse('too-big', `The file is ${bytes.length} bytes; certificate files are limited to ${maxBytes} bytes. Upload the user certificate and its CA certificates, not a whole store.`);
    let text: string | undefined;
    const latin = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (latin.includes('-----BEGIN ')) text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
    if (text !== undefined) {
      const blocks = [...text.matchAll(PEM_BLOCK)];
      if (blocks.some((m) => PRIVATE_KEY_LABEL.test(m[1]))) refuse('private-key', `This file holds a private key (PEM "${blocks.find((m) => PRIVATE_KEY_LABEL.test(m[1]))![1]}"). CBA Doctor never accepts private keys. ${EXPORT_HINT}`);
      const certs: Cert[] = [];
      let kind: FileKind = 'pem';
      for (const [, label, body] of blocks) {
        const der = decodeBase64Strict(body);
        if (!der) {
          base.notes.push(`PEM block "${label}" is not valid Base-64 and was skipped`);
          continue;
        }
        if (label === 'PKCS7' || label === 'CMS' || label === 'PKCS #7 SIGNED DATA') {
          const r = fromDer(der, base.notes);
          certs.push(...r.certs);
          kind = 'pkcs7-pem';
          continue;
        }
        if (label === 'X509 CRL') {
          base.notes.push('a CRL block was skipped (give CRLs with --crl)');
          continue;
        }
        if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
          // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate SEQUENCE.
          const first = label === 'TRUSTED CERTIFICATE' ? der.subarray(0, readTlv(der, 0).end) : der;
          try {
            certs.push(parseCertificate(first));
          } catch (e) {
            base.notes.push(`a PEM CERTIFICATE block could not be read: ${(e as Error).message}`);
          }
          continue;
        }
        base.notes.push(`PEM block "${label}" is not a certificate and was skipped`);
      }
      if (!certs.length) {
        if (blocks.length === 0) refuse('not-a-certificate', 'The file has a PEM header but no complete BEGIN/END block. Export the certificate again.');
        refuse('not-a-certificate', `No certificate could be read from this PEM file (${base.notes.join('; ')}).`);
      }
      return { result: { ...base, kind }, certs };
    }
    // Base-64 without PEM armour (a copy of the certificate text box).
    const asText = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '').trim();
    if (/^[A-Za-z0-9+/\s]+={0,2}$/.test(asText) && asText.length > 64) {
      const der = decodeBase64Strict(asText);
      if (der) {
        const r = fromDer(der, base.notes);
        return { result: { ...base, kind: r.kind === 'der' ? 'pem' : 'pkcs7-pem' }, certs: r.certs };
      }
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
