// certutil -verify -urlfetch: the chain certutil built, every AIA/CDP/OCSP URL it fetched with the
// result, and the closing verdict. The verdict line can say "completed successfully" after a revocation
// error, so everything is kept for the check to judge.
import { cut, head2, heads, hexId, quote, type Line } from './text';
import type { CertutilElement, CertutilUrlEntry, CertutilUrlfetchData, Quoted } from './types';

const ELEMENT = /^CertContext\[(\d+)\]\[(\d+)\]:?\s*(.*)$/;
const SECTION = /^-{3,}\s+(.{1,60}?)\s+-{3,}$/;
const SECTION_END = /^-{8,}$/;
const STATUS = /^([A-Za-z][A-Za-z ]{0,30}?)\s+"([^"]{0,200})"\s+Time:\s*(\S+)(?:\s+(.*))?$/;
const URL = /^(?:\[[\d.]{1,40}\]\s*)?([a-z][a-z0-9+.-]{0,20}:\/\/.*)$/i;
const FINAL = /^CertUtil:\s*(-\w+ command\b.*)$/i;
const ERROR_CODE = /\b0x8[0-9a-f]{7}\b/i;

/** How the lines lineScoreCertutil scores start, bar the status lines (any letter, but they hold "Time:"). */
const SCORED = heads('Ce', '--', 'Ch', 'Si', 'dw', 'Ex', 'Fu', 'Le', 'HC', 'Er', 'El', 'Na');

export function lineScoreCertutil(t: string): number {
  // Detection scores every line of every paragraph: most fail here without running a pattern.
  if (!SCORED.has(head2(t)) && !t.includes('Time:')) return 0;
  if (ELEMENT.test(t) || /^-{3,} CERT_CHAIN_CONTEXT -{3,}$/.test(t) || /^CertUtil: -verify command\b/i.test(t)) return 3;
  if (/^-{3,}\s+(Certificate (AIA|CDP|OCSP)|Base CRL CDP|Delta CRL CDP)\s+-{3,}$/i.test(t)) return 3;
  if (/^(ChainContext|SimpleChain)\.dw/.test(t) || /^dwFlags = CA_VERIFY_FLAGS/.test(t) || /^Cert Serial Number:/i.test(t)) return 2;
  if (/^(Exclude leaf cert|Full chain):$/.test(t) || /^Leaf certificate revocation check/i.test(t)) return 2;
  if ((t.includes('Time:') && STATUS.test(t)) || /^HCCE_(LOCAL_MACHINE|CURRENT_USER)$/.test(t) || /^Error retrieving URL:/i.test(t)) return 2;
  if (/^Element\.dw/.test(t) || /^Name Hash\((sha1|md5)\):/i.test(t) || /^ChainFlags = /.test(t) || /^CERT_CHAIN_POLICY_/.test(t)) return 1;
  return 0;
}

/** The closing verdict line; other "CertUtil: <message>" lines are error messages printed before it. */
export function isCertutilTerminal(t: string): boolean {
  return FINAL.test(t);
}

function flagOf(v: string): string {
  const m = /^([A-Z0-9_]+)/.exec(v.trim());
  return m ? m[1] : v.trim();
}

export function parseCertutilUrlfetch(lines: Line[]): CertutilUrlfetchData {
  const data: CertutilUrlfetchData = {
    subject: null,
    serial: null,
    elements: [],
    chainErrors: [],
    errors: [],
    leafRevocationPassed: false,
    finalLine: null,
    completedSuccessfully: false,
  };
  const simpleChainErrors: Quoted[] = [];
  let el: CertutilElement | null = null;
  let section: string | null = null;
  let entry: CertutilUrlEntry | null = null;
  let header: 'issuer' | 'subject' | null = null;
  const headerParts: { issuer: string[]; subject: string[] } = { issuer: [], subject: [] };

  for (const l of lines) {
    const t = l.text.trim();
    if (!t) {
      entry = null;
      continue;
    }
    let m: RegExpExecArray | null;

    // The verified certificate's own names, before the chain dump.
    if (!data.elements.length && !el) {
      if (/^Issuer:$/i.test(t)) {
        header = 'issuer';
        continue;
      }
      if (/^Subject:$/i.test(t)) {
        header = 'subject';
        continue;
      }
      if (header && /^[A-Za-z.0-9]{1,20}=/.test(t) && !/^Name Hash/i.test(t)) {
        headerParts[header].push(t);
        continue;
      }
      header = null;
      if ((m = /^Cert Serial Number:\s*(\S+)/i.exec(t))) {
        data.serial = m[1].toLowerCase();
        continue;
      }
    }

    if ((m = ELEMENT.exec(t))) {
      const err = /dwErrorStatus=([0-9a-f]+)/i.exec(m[3]);
      el = {
        index: `${m[1]}.${m[2]}`,
        subject: null,
        issuer: null,
        serial: null,
        thumbprint: null,
        errorStatus: err ? err[1].toLowerCase() : null,
        errorFlags: [],
        selfSigned: false,
        urls: [],
        line: l.n,
        text: cut(t),
      };
      data.elements.push(el);
      section = null;
      entry = null;
      continue;
    }
    if ((m = /^ChainContext\.dwErrorStatus\s*=\s*(.*)$/.exec(t))) {
      data.chainErrors.push(quote(flagOf(m[1]), l));
      continue;
    }
    if ((m = /^SimpleChain\.dwErrorStatus\s*=\s*(.*)$/.exec(t))) {
      simpleChainErrors.push(quote(flagOf(m[1]), l));
      continue;
    }
    if ((m = FINAL.exec(t))) {
      data.finalLine = quote(m[1].trim(), l);
      data.completedSuccessfully = /-verify(?:store)? command completed successfully/i.test(m[1]);
      if (!data.completedSuccessfully) data.errors.push(quote(t, l));
      el = null;
      continue;
    }
    if (/^Leaf certificate revocation check passed/i.test(t)) {
      data.leafRevocationPassed = true;
      continue;
    }
    if (/^(Exclude leaf cert|Full chain):$/.test(t) || /^-{3,} CERT_CHAIN_CONTEXT/.test(t)) {
      el = null;
      continue;
    }
    if (el) {
      if ((m = SECTION.exec(t))) {
        section = m[1];
        entry = null;
        continue;
      }
      if (SECTION_END.test(t)) {
        // CRL details follow (their Issuer/ThisUpdate lines are not the element's).
        section = '-';
        entry = null;
        continue;
      }
      if (section === null) {
        if ((m = /^Issuer:\s*(.+)$/i.exec(t))) el.issuer = m[1].trim();
        else if ((m = /^Subject:\s*(.+)$/i.exec(t))) el.subject = m[1].trim();
        else if ((m = /^Serial:\s*(\S+)/i.exec(t))) el.serial = m[1].toLowerCase();
        else if ((m = /^Cert:\s*([0-9a-f ]{20,80})$/i.exec(t))) el.thumbprint = hexId(m[1]);
        else if ((m = /^Element\.dwErrorStatus\s*=\s*(.*)$/.exec(t))) el.errorFlags.push(flagOf(m[1]));
        else if (/^Element\.dwInfoStatus\s*=\s*CERT_TRUST_IS_SELF_SIGNED/.test(t)) el.selfSigned = true;
        continue;
      }
      if (section !== '-') {
        if ((m = STATUS.exec(t))) {
          entry = { section, status: m[1].trim(), label: m[2], urls: [], error: null, line: l.n, text: cut(t) };
          el.urls.push(entry);
          continue;
        }
        if (entry && (m = /^Error retrieving URL:\s*(.*)$/i.exec(t))) {
          entry.error = cut(m[1], 400);
          continue;
        }
        if (entry && (m = URL.exec(t))) {
          entry.urls.push(m[1].trim());
          continue;
        }
      }
    }
    // Anything else that reports a failure: ERROR lines, error codes, skipped revocation.
    if (/^ERROR\b/i.test(t) || /^CertUtil:/i.test(t) || (ERROR_CODE.test(t) && !/^Error retrieving URL:/i.test(t)) || /revocation check skipped/i.test(t) || /\bREVOKED\b/.test(t)) {
      data.errors.push(quote(t, l));
    }
  }
  if (!data.chainErrors.length) data.chainErrors.push(...simpleChainErrors);
  data.subject = headerParts.subject.length ? headerParts.subject.join(', ') : (data.elements[0]?.subject ?? null);
  if (!data.serial) data.serial = data.elements[0]?.serial ?? null;
  return data;
}
