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

// ---- syntax (RFC 5280 4.2.1.6 and 4.2.1.10: names are checked before they are matched) ----

const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Why `v` is not a usable DNS name; `constraint` allows the empty name and a leading period, `wildcard` a "*." start. */
export function dnsNameProblem(v: string, o: { constraint?: boolean; wildcard?: boolean } = {}): string | undefined {
  let s = v.endsWith('.') && v.length > 1 ? v.slice(0, -1) : v;
  if (s === '') return o.constraint ? undefined : 'it is empty';
  if (s.startsWith('.')) {
    if (!o.constraint) return 'it starts with a period';
    s = s.slice(1);
  }
  if (s.length > 253) return 'it is longer than 253 characters';
  const labels = s.split('.');
  if (o.wildcard && labels[0] === '*' && labels.length > 1) labels.shift();
  for (const l of labels) {
    if (l === '') return 'it has an empty label';
    if (l.includes('*')) return 'it has a wildcard that is not a whole left-most label';
    if (!LDH_LABEL.test(l)) return `the label "${l}" has characters a host name cannot hold (letters, digits and inner hyphens only)`;
  }
  return undefined;
}

/** Why `v` is not a usable rfc822Name: a mailbox in a SAN; a mailbox, host or ".domain" in a constraint. */
export function emailNameProblem(v: string, o: { constraint?: boolean } = {}): string | undefined {
  const ats = v.split('@').length - 1;
  if (ats > 1) return 'it has more than one "@"';
  if (ats === 0) return o.constraint ? dnsNameProblem(v, { constraint: true }) : 'it has no "@"';
  const at = v.indexOf('@');
  if (at === 0) return 'its local part (before "@") is empty';
  if (/[\s<>()[\]\\,;:"]/.test(v.slice(0, at))) return 'its local part has characters a mailbox cannot hold unquoted';
  const d = dnsNameProblem(v.slice(at + 1));
  return d ? `its domain is not valid (${d})` : undefined;
}

/** Syntax problem of a subject name (SAN entry), or undefined. */
export function nameSyntaxProblem(n: ConstraintName): string | undefined {
  switch (n.type) {
    case 'dns':
      return dnsNameProblem(n.value, { wildcard: true });
    case 'rfc822':
      return emailNameProblem(n.value);
    case 'ip':
      return n.bytes.length === 4 || n.bytes.length === 16 ? undefined : `it is ${n.bytes.length} octets long, not 4 (IPv4) or 16 (IPv6)`;
    case 'uri':
      return uriHost(n.value) === undefined ? 'it has no host part' : undefined;
    default:
      return undefined;
  }
}

/** Syntax problem of a constraint base (GeneralSubtree), or undefined. */
export function constraintSyntaxProblem(n: ConstraintName): string | undefined {
  switch (n.type) {
    case 'dns':
    case 'uri':
      return dnsNameProblem(n.value, { constraint: true });
    case 'rfc822':
      return emailNameProblem(n.value, { constraint: true });
    case 'ip': {
      if (n.bytes.length !== 8 && n.bytes.length !== 32) return `it is ${n.bytes.length} octets long, not an address and mask of 8 (IPv4) or 32 (IPv6) octets`;
      // The mask must be a run of ones then zeros (a CIDR prefix).
      const mask = Array.from(n.bytes.subarray(n.bytes.length / 2)).map((b) => b.toString(2).padStart(8, '0')).join('');
      return /^1*0*$/.test(mask) ? undefined : 'its mask is not a contiguous prefix';
    }
    default:
      return undefined;
  }
}

// ---- wildcards: a "*.S" SAN stands for every name one label under S ----

function stripDot(s: string) {
  return trimDot(s).replace(/^\./, '');
}

/** Every name "*.S" can match lies inside subtree `base`. */
export function wildcardWithin(suffix: string, base: string): boolean {
  const b = trimDot(base);
  if (b === '') return true;
  return dnsWithin(suffix, stripDot(b));
}

/** Some name "*.S" can match lies inside subtree `base` (so an excluded base is a violation). */
export function wildcardMeets(suffix: string, base: string): boolean {
  const s = trimDot(suffix);
  const b = trimDot(base);
  if (wildcardWithin(s, b)) return true;
  // The base is itself one label under S (x.S): the wildcard can match it, and names under it are out of reach.
  const plain = b.replace(/^\./, '');
  if (b.startsWith('.')) return false;
  return plain.endsWith(`.${s}`) && !plain.slice(0, -(s.length + 1)).includes('.');
}
