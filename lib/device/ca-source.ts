// The CA certificates the form chose for the CertificateRequest: the uploaded files, or a pasted trust store (PEM
// blocks). Read with the upload parser, so a private key is refused here as everywhere else.
import type { Cert } from '@/lib/pki/cert';
import { parseCertificateFile } from '@/lib/pki/input';

export const MAX_TRUST_STORE_BYTES = 1024 * 1024;

export type CaSourceResult = { ok: true; certs: Cert[] } | { ok: false; error: string };

export function caCertsFromFiles(files: { name: string; bytes: Uint8Array }[]): CaSourceResult {
  const certs: Cert[] = [];
  for (const f of files) {
    const p = parseCertificateFile(f.name, f.bytes);
    if (p.result.problem && (p.result.problem.reason === 'pkcs12' || p.result.problem.reason === 'private-key'))
      return { ok: false, error: `${f.name}: ${p.result.problem.message}` };
    certs.push(...p.certs);
  }
  return { ok: true, certs };
}

export function caCertsFromPaste(text: string): CaSourceResult {
  const bytes = new TextEncoder().encode(text);
  if (!text.trim()) return { ok: false, error: 'Paste the trust store: the CA certificates as PEM blocks (-----BEGIN CERTIFICATE-----).' };
  if (bytes.length > MAX_TRUST_STORE_BYTES) return { ok: false, error: 'The pasted trust store is larger than 1 MB; paste only the CA certificates the server trusts for client authentication.' };
  const p = parseCertificateFile('pasted trust store', bytes, MAX_TRUST_STORE_BYTES);
  if (p.result.problem) return { ok: false, error: `The pasted trust store could not be read: ${p.result.problem.message}` };
  return { ok: true, certs: p.certs };
}
