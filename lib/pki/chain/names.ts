// Subject names of a certificate as RFC 5280 name constraints see them, decoded straight from DER so
// IP addresses keep their bytes and directory names their per-RDN comparison keys.
import { OID, type Cert } from '../cert';
import { children, readTlv, value, type Tlv } from '../der';
import { parseName, type ParsedName } from '../name';

export type ConstraintName =
  | { type: 'rfc822' | 'dns' | 'uri'; value: string }
  | { type: 'ip'; bytes: Uint8Array }
  | { type: 'dirName'; name: ParsedName }
  /** A form we do not evaluate (otherName, x400, ediParty, registeredID), by its context tag number. */
  | { type: 'other'; tag: number };

const EMAIL_ATTR = '1.2.840.113549.1.9.1';

function ascii(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** One GeneralName at `t` (context-specific tag per RFC 5280 4.2.1.6). */
export function readGeneralName(buf: Uint8Array, t: Tlv): ConstraintName {
  const n = t.tag & 0x1f;
  switch (n) {
    case 1:
      return { type: 'rfc822', value: ascii(value(buf, t)) };
    case 2:
      return { type: 'dns', value: ascii(value(buf, t)) };
    case 6:
      return { type: 'uri', value: ascii(value(buf, t)) };
    case 7:
      return { type: 'ip', bytes: value(buf, t) };
    case 4: {
      // [4] is EXPLICIT: the Name SEQUENCE sits inside.
      const inner = readTlv(buf, t.valueStart, t.end);
      return { type: 'dirName', name: parseName(buf.subarray(inner.start, inner.end)) };
    }
    default:
      return { type: 'other', tag: n };
  }
}

export function readGeneralNames(buf: Uint8Array, seq: Tlv): ConstraintName[] {
  return children(buf, seq).map((t) => readGeneralName(buf, t));
}

export interface NameConstraints {
  permitted: ConstraintName[];
  excluded: ConstraintName[];
}

/** NameConstraints extension value (RFC 5280 4.2.1.10). Throws on malformed DER. */
export function parseNameConstraints(v: Uint8Array): NameConstraints {
  const top = readTlv(v, 0);
  if (top.tag !== 0x30 || top.end !== v.length) throw new Error('NameConstraints is not a DER SEQUENCE');
  const out: NameConstraints = { permitted: [], excluded: [] };
  for (const part of children(v, top)) {
    const into = part.tag === 0xa0 ? out.permitted : part.tag === 0xa1 ? out.excluded : undefined;
    if (!into) throw new Error(`unexpected NameConstraints field tag 0x${part.tag.toString(16)}`);
    for (const subtree of children(v, part)) {
      const [base] = children(v, subtree);
      if (!base) throw new Error('GeneralSubtree without a base');
      into.push(readGeneralName(v, base));
    }
  }
  return out;
}

/** The subject names of `c`: subject DN, SAN entries, and e-mail addresses carried in the subject DN. */
export function subjectNames(c: Cert): { dn?: ParsedName; san: ConstraintName[]; sanPresent: boolean; emails: string[] } {
  const ext = c.extensions.find((e) => e.oid === OID.san);
  let san: ConstraintName[] = [];
  if (ext) {
    const t = readTlv(ext.value, 0);
    san = readGeneralNames(ext.value, t);
  }
  const emails = c.subject.rdns.flat().filter((a) => a.type === EMAIL_ATTR).map((a) => a.value);
  return { dn: c.subject.rdns.length ? c.subject : undefined, san, sanPresent: !!ext, emails };
}

// ---- matching (RFC 5280 4.2.1.10) ----

function rdnKeys(n: ParsedName): string[] {
  return n.rdnKeys ?? parseName(n.der).rdnKeys ?? [];
}

function dirWithin(name: ParsedName, base: ParsedName): boolean {
  const a = rdnKeys(name);
  const b = rdnKeys(base);
  if (b.length > a.length) return false;
  return b.every((k, i) => a[i] === k);
}

function trimDot(s: string): string {
  return s.toLowerCase().replace(/\.$/, '');
}

/** DNS: the base plus zero or more labels on the left; a leading dot means subdomains only. */
function dnsWithin(name: string, base: string): boolean {
  const n = trimDot(name);
  const b = trimDot(base);
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

function hostWithin(host: string, base: string): boolean {
  const h = trimDot(host);
  const b = trimDot(base);
  if (b.startsWith('.')) return h.endsWith(b);
  return h === b;
}

/** RFC822: a full mailbox, a host (exact), or a domain with a leading dot (any host under it). */
function emailWithin(addr: string, base: string): boolean {
  const at = addr.lastIndexOf('@');
  if (at < 0) return false;
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@');
    return addr.slice(0, at) === base.slice(0, bat) && addr.slice(at + 1).toLowerCase() === base.slice(bat + 1).toLowerCase();
  }
  return hostWithin(addr.slice(at + 1), base);
}

export function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return m && m[1] ? m[1] : undefined;
}

function ipWithin(addr: Uint8Array, base: Uint8Array): boolean {
  const n = addr.length;
  if (base.length !== n * 2) return false;
  for (let i = 0; i < n; i++) if ((addr[i] & base[n + i]) !== (base[i] & base[n + i])) return false;
  return true;
}

/** Whether `name` lies inside subtree `base`; undefined when the forms differ (the subtree does not apply). */
export function within(name: ConstraintName, base: ConstraintName): boolean | undefined {
  if (name.type !== base.type) return undefined;
  switch (name.type) {
    case 'dirName':
      return dirWithin(name.name, (base as { name: ParsedName }).name);
    case 'dns':
      return dnsWithin(name.value, (base as { value: string }).value);
    case 'rfc822':
      return emailWithin(name.value, (base as { value: string }).value);
    case 'uri': {
      const host = uriHost(name.value);
      return host !== undefined && hostWithin(host, (base as { value: string }).value);
    }
    case 'ip':
      return ipWithin(name.bytes, (base as { bytes: Uint8Array }).bytes);
    case 'other':
      // Forms we do not evaluate; validate.ts rejects a name of such a form when a subtree constrains it.
      return undefined;
  }
}

export function describeName(n: ConstraintName): string {
  switch (n.type) {
    case 'dirName':
      return `DN "${n.name.display}"`;
    case 'ip': {
      const b = Array.from(n.bytes);
      if (b.length === 4) return `IP ${b.join('.')}`;
      if (b.length === 8) return `IP ${b.slice(0, 4).join('.')}/${b.slice(4).join('.')}`;
      return `IP ${Buffer.from(n.bytes).toString('hex')}`;
    }
    case 'other':
      return `name form [${n.tag}]`;
    default:
      return `${n.type.toUpperCase()} "${n.value}"`;
  }
}
