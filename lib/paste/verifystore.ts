// certutil -verifystore <store> (also -store / -viewstore, which print the same per-certificate blocks).
import type { CommandHint } from './commands';
import { cut, head2, hexId, quote, type Line } from './text';
import type { StoreCertificate, VerifyStoreData } from './types';

const CERT_HEADER = /^=+\s*Certificate\s+(\d+)\s*=+$/i;
const STORE_HEADER = /^([A-Za-z][A-Za-z0-9]{0,30})\s+"([^"]{1,120})"$/;

const [CE, RO, NO, SI] = ['Ce', 'Ro', 'No', 'Si'].map(head2);

export function lineScoreVerifyStore(t: string): number {
  // Every line of every paragraph is scored: each pattern runs only on lines that start (or end) as it needs.
  const h = head2(t);
  if ((t[0] === '=' && CERT_HEADER.test(t)) || (h === CE && /^CertUtil: -(verifystore|store|viewstore) command\b/i.test(t))) return 3;
  if (
    (t.endsWith('"') && STORE_HEADER.test(t)) ||
    (h === RO && /^Root Certificate: Subject matches Issuer/i.test(t)) ||
    (h === NO && /^Non-root Certificate/i.test(t)) ||
    (h === CE && /^Cert Hash\(sha1\):/i.test(t))
  )
    return 2;
  if ((h === SI && /^Signature matches Public Key/i.test(t)) || (h === CE && /^Certificate is valid/i.test(t)) || (h === NO && /^No key provider information/i.test(t))) return 1;
  return 0;
}

export function isVerifyStoreTerminal(t: string): boolean {
  return /^CertUtil:\s*-\w+ command\b/i.test(t);
}

export function parseVerifyStore(lines: Line[], hint?: CommandHint): VerifyStoreData {
  const data: VerifyStoreData = { store: hint?.kind === 'verifystore' ? (hint.store ?? null) : null, storeTitle: null, certificates: [], finalLine: null };
  let cur: StoreCertificate | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if ((m = CERT_HEADER.exec(t))) {
      cur = { index: Number(m[1]), serial: null, issuer: null, subject: null, notBefore: null, notAfter: null, sha1: null, selfIssued: null, valid: null, errors: [], line: l.n, text: cut(t) };
      data.certificates.push(cur);
      continue;
    }
    if ((m = /^CertUtil:\s*(-\w+ command\b.*)$/i.exec(t))) {
      data.finalLine = quote(m[1].trim(), l);
      cur = null;
      continue;
    }
    if (!cur) {
      if ((m = STORE_HEADER.exec(t)) && !data.certificates.length) {
        data.store = m[1];
        data.storeTitle = m[2];
      }
      continue;
    }
    if ((m = /^Serial Number:\s*(.+)$/i.exec(t))) cur.serial = hexId(m[1]) ?? m[1].trim();
    else if ((m = /^Issuer:\s*(.+)$/i.exec(t))) cur.issuer = m[1].trim();
    else if ((m = /^Subject:\s*(.+)$/i.exec(t))) cur.subject = m[1].trim();
    else if ((m = /^NotBefore:\s*(.+)$/i.exec(t))) cur.notBefore = m[1].trim();
    else if ((m = /^NotAfter:\s*(.+)$/i.exec(t))) cur.notAfter = m[1].trim();
    else if ((m = /^Cert Hash\(sha1\):\s*(.+)$/i.exec(t))) cur.sha1 = hexId(m[1]);
    else if (/^Root Certificate: Subject matches Issuer/i.test(t)) cur.selfIssued = true;
    else if (/^Non-root Certificate/i.test(t)) cur.selfIssued = false;
    else if (/^Certificate is valid/i.test(t)) cur.valid = true;
    else if (/^ERROR\b/i.test(t) || /\b0x8[0-9a-f]{7}\b/i.test(t) || /^Certificate is (REVOKED|not valid|expired)/i.test(t)) {
      cur.valid = false;
      if (cur.errors.length < 20) cur.errors.push(cut(t));
    }
  }
  // When the output says nothing about self-issuance, compare the names.
  for (const c of data.certificates) if (c.selfIssued === null && c.subject && c.issuer) c.selfIssued = c.subject.replace(/\s+/g, '').toLowerCase() === c.issuer.replace(/\s+/g, '').toLowerCase();
  return data;
}
