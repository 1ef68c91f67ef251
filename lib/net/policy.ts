// Network policy (SSRF guard). The server connects to hosts named in user uploads (CDP and AIA URLs, the
// federation host), so every address is judged after resolution, and callers connect to the address that
// was judged (no second lookup that DNS rebinding could answer differently).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Verdict = { allowed: true } | { allowed: false; reason: string };

export class PolicyError extends Error {
  readonly kind = 'blocked' as const;
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`refused to connect to ${host === address ? address : `${host} (${address})`}: ${reason}`);
    this.name = 'PolicyError';
  }
}

export class DnsError extends Error {
  readonly kind = 'dns' as const;
  constructor(
    readonly host: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

/** CBA_DOCTOR_ALLOW_PRIVATE=1 (exactly, as documented) lifts the private-range block (corporate deployments, loopback tests). */
export function allowPrivateFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  return env.CBA_DOCTOR_ALLOW_PRIVATE === '1';
}

// ---------------------------------------------------------------------------------------------------
// Host literals

export interface HostLiteral {
  address: string;
  family: 4 | 6;
}

/** One IPv4 part the way WHATWG URL and inet_aton read it: 0x.. hex, leading 0 octal, else decimal. */
function parseV4Part(p: string): number | undefined {
  let radix = 10;
  let digits = p;
  if (/^0x/i.test(p)) {
    radix = 16;
    digits = p.slice(2);
    // WHATWG reads a bare "0x" as zero.
    if (digits === '') return 0;
  } else if (p.length > 1 && p.startsWith('0')) {
    radix = 8;
    digits = p.slice(1);
  }
  const re = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return undefined;
  const n = parseInt(digits, radix);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * IPv4 in any form WHATWG URL accepts: 1 to 4 parts, each decimal, octal or hex, the last part filling the
 * remaining bytes (2130706433, 0177.0.0.1, 0x7f.1, 127.1). Returns the 32-bit value, or undefined.
 */
export function parseIPv4Loose(host: string): number | undefined {
  let parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts = parts.slice(0, -1);
  if (parts.length === 0 || parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parseV4Part(p);
    if (n === undefined) return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return undefined;
  if (last >= 256 ** (4 - nums.length)) return undefined;
  let v = last;
  nums.forEach((n, i) => (v += n * 256 ** (3 - i)));
  return v;
}

function v4ToString(v: number): string {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** Eight 16-bit groups of an IPv6 address (with an optional trailing dotted IPv4), or undefined. */
export function parseIPv6(s: string): number[] | undefined {
  const addr = s.replace(/%.*$/, '');
  if (isIP(addr) !== 6) return undefined;
  let head = addr;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (dotted) {
    const v = dotted[1].split('.').map(Number);
    tail.push((v[0] << 8) | v[1], (v[2] << 8) | v[3]);
    head = addr.slice(0, -dotted[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const toGroups = (t: string) => (t === '' ? [] : t.split(':').map((g) => parseInt(g, 16)));
  const dbl = head.indexOf('::');
  let groups: number[];
  if (dbl >= 0) {
    const left = toGroups(head.slice(0, dbl));
    const right = [...toGroups(head.slice(dbl + 2)), ...tail];
    groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  } else {
    groups = [...toGroups(head), ...tail];
  }
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** RFC 5952 text form (lower case, longest zero run compressed). */
function v6ToString(g: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * If `host` is an IP literal in any spelling a URL parser or inet_aton would accept (decimal 2130706433,
 * octal 0177.0.0.1, hex 0x7f.1, short 127.1, bracketed or zoned IPv6), the canonical address it means;
 * undefined for a host name. Judging the canonical form stops "0x7f.1" from slipping past a 127/8 rule.
 */
export function parseHostLiteral(host: string): HostLiteral | undefined {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.includes(':')) {
    const g = parseIPv6(h);
    return g ? { address: v6ToString(g), family: 6 } : undefined;
  }
  const v = parseIPv4Loose(h);
  return v === undefined ? undefined : { address: v4ToString(v), family: 4 };
}

// ---------------------------------------------------------------------------------------------------
// Address rules

interface V4Rule {
  net: number;
  bits: number;
  rule: string;
  /** Refused even when private addresses are allowed. */
  always?: boolean;
}

const v4 = (cidr: string, rule: string, always?: boolean): V4Rule => {
  const [a, b] = cidr.split('/');
  return { net: parseIPv4Loose(a)!, bits: Number(b ?? 32), rule, always };
};

// Cloud metadata endpoints stay refused even with allowPrivate: no CRL, AIA or AD FS endpoint lives there,
// and they are the classic SSRF prize (instance credentials).
const V4_METADATA: V4Rule[] = [
  v4('169.254.169.254', 'cloud instance metadata service (AWS, Azure, GCP, OCI)', true),
  v4('169.254.170.2', 'cloud container metadata service (AWS ECS)', true),
  v4('100.100.100.200', 'cloud instance metadata service (Alibaba Cloud)', true),
  v4('168.63.129.16', 'Azure platform wire server (host metadata)', true),
];

// Order matters only for the reason reported: specific ranges come before the ranges that contain them.
const V4_RULES: V4Rule[] = [
  ...V4_METADATA,
  v4('255.255.255.255', 'limited broadcast (255.255.255.255)'),
  v4('0.0.0.0/8', '"this network" (0.0.0.0/8)'),
  v4('10.0.0.0/8', 'private network (RFC 1918, 10.0.0.0/8)'),
  v4('100.64.0.0/10', 'carrier-grade NAT shared space (100.64.0.0/10)'),
  v4('127.0.0.0/8', 'loopback (127.0.0.0/8)'),
  v4('169.254.0.0/16', 'link-local (169.254.0.0/16)'),
  v4('172.16.0.0/12', 'private network (RFC 1918, 172.16.0.0/12)'),
  v4('192.0.0.0/24', 'IETF protocol assignments (192.0.0.0/24)'),
  v4('192.0.2.0/24', 'documentation range TEST-NET-1 (192.0.2.0/24)'),
  v4('192.31.196.0/24', 'AS112 anycast (192.31.196.0/24)'),
  v4('192.52.193.0/24', 'AMT anycast (192.52.193.0/24)'),
  v4('192.88.99.0/24', 'deprecated 6to4 relay anycast (192.88.99.0/24)'),
  v4('192.168.0.0/16', 'private network (RFC 1918, 192.168.0.0/16)'),
  v4('192.175.48.0/24', 'AS112 direct delegation (192.175.48.0/24)'),
  v4('198.18.0.0/15', 'benchmarking range (198.18.0.0/15)'),
  v4('198.51.100.0/24', 'documentation range TEST-NET-2 (198.51.100.0/24)'),
  v4('203.0.113.0/24', 'documentation range TEST-NET-3 (203.0.113.0/24)'),
  v4('224.0.0.0/4', 'multicast (224.0.0.0/4)'),
  v4('240.0.0.0/4', 'reserved (240.0.0.0/4)'),
];

function inV4(v: number, r: V4Rule): boolean {
  if (r.bits === 0) return true;
  const mask = r.bits === 32 ? 0xffffffff : (~0 << (32 - r.bits)) >>> 0;
  return ((v & mask) >>> 0) === ((r.net & mask) >>> 0);
}

function judgeV4(v: number, allowPrivate: boolean, shown: string): Verdict {
  const r = V4_RULES.find((x) => inV4(v, x));
  if (!r || (allowPrivate && !r.always)) return { allowed: true };
  return { allowed: false, reason: `${shown} is ${r.rule}` };
}

interface V6Rule {
  prefix: number[];
  bits: number;
  rule: string;
  always?: boolean;
}

const v6 = (cidr: string, rule: string, always?: boolean): V6Rule => {
  const [a, b] = cidr.split('/');
  return { prefix: parseIPv6(a)!, bits: Number(b ?? 128), rule, always };
};

const V6_RULES: V6Rule[] = [
  v6('fd00:ec2::254', 'cloud instance metadata service (AWS, IPv6)', true),
  v6('::/128', 'the unspecified address (::)'),
  v6('::1/128', 'loopback (::1)'),
  v6('64:ff9b:1::/48', 'local-use NAT64 prefix (64:ff9b:1::/48)'),
  v6('100::/64', 'discard-only prefix (100::/64)'),
  v6('2001::/32', 'Teredo tunnelling (2001::/32)'),
  v6('2001:2::/48', 'benchmarking range (2001:2::/48)'),
  v6('2001:10::/28', 'deprecated ORCHID range (2001:10::/28)'),
  v6('2001:20::/28', 'ORCHIDv2 range (2001:20::/28)'),
  v6('2001:db8::/32', 'documentation range (2001:db8::/32)'),
  v6('3fff::/20', 'documentation range (3fff::/20)'),
  v6('fc00::/7', 'unique local address (fc00::/7)'),
  v6('fe80::/10', 'link-local (fe80::/10)'),
  v6('fec0::/10', 'deprecated site-local (fec0::/10)'),
  v6('ff00::/8', 'multicast (ff00::/8)'),
];

function inV6(g: number[], r: V6Rule): boolean {
  let bits = r.bits;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((g[i] & mask) !== (r.prefix[i] & mask)) return false;
  }
  return true;
}

/** IPv6 forms that carry an IPv4 address a stack may end up using: judged on that IPv4 address. */
function embeddedV4(g: number[]): { v: number; form: string } | undefined {
  const low = ((g[6] << 16) | g[7]) >>> 0;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return { v: low, form: 'IPv4-mapped' };
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return { v: low, form: 'IPv4-translated' };
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return { v: low, form: 'NAT64' };
  if (zero(0, 6)) return { v: low, form: 'IPv4-compatible' };
  if (g[0] === 0x2002) return { v: ((g[1] << 16) | g[2]) >>> 0, form: '6to4' };
  return undefined;
}

function judgeV6(g: number[], allowPrivate: boolean, shown: string): Verdict {
  const r = V6_RULES.find((x) => inV6(g, x));
  if (r) {
    if (allowPrivate && !r.always) return { allowed: true };
    return { allowed: false, reason: `${shown} is ${r.rule}` };
  }
  const e = embeddedV4(g);
  if (e) {
    const inner = judgeV4(e.v, allowPrivate, v4ToString(e.v));
    return inner.allowed ? inner : { allowed: false, reason: `${shown} is the ${e.form} IPv6 form of ${inner.reason}` };
  }
  // Only 2000::/3 is allocated as global unicast; anything else is reserved or special-purpose.
  if ((g[0] & 0xe000) !== 0x2000 && !allowPrivate) return { allowed: false, reason: `${shown} is outside global unicast (2000::/3)` };
  return { allowed: true };
}

/** Whether the policy lets us connect to `ip` (any literal spelling). Non-IP input is refused. */
export function checkAddress(ip: string, allowPrivate: boolean): Verdict {
  const lit = parseHostLiteral(ip);
  if (!lit) return { allowed: false, reason: `${JSON.stringify(ip)} is not an IP address` };
  if (lit.family === 4) return judgeV4(parseIPv4Loose(lit.address)!, allowPrivate, lit.address);
  return judgeV6(parseIPv6(lit.address)!, allowPrivate, lit.address);
}

// ---------------------------------------------------------------------------------------------------
// Resolution

export interface ResolveOptions {
  allowPrivate: boolean;
  /** host → address overrides (CLI --resolve), like curl --resolve. */
  resolve?: Record<string, string>;
  timeoutMs: number;
  /** Replaceable lookup (tests, or a resolver with its own servers). Must return every address. */
  lookupAll?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host names compare lower-case, without IPv6 brackets or a trailing root dot. */
export function normalizeHost(h: string): string {
  let x = h.trim().toLowerCase();
  if (x.startsWith('[') && x.endsWith(']')) x = x.slice(1, -1);
  return x.endsWith('.') ? x.slice(0, -1) : x;
}

/** The --resolve address given for a host, if any. */
export function findOverride(host: string, resolve?: Record<string, string>): string | undefined {
  if (!resolve) return undefined;
  const want = normalizeHost(host);
  for (const [k, v] of Object.entries(resolve)) if (normalizeHost(k) === want) return v;
  return undefined;
}

const DNS_MESSAGES: Record<string, string> = {
  ENOTFOUND: 'the name does not exist in DNS',
  ENODATA: 'the name has no address records',
  EAI_AGAIN: 'DNS did not answer (temporary failure)',
  ESERVFAIL: 'the DNS server failed to answer',
  ETIMEOUT: 'the DNS lookup timed out',
  ECONNREFUSED: 'the DNS server refused the query',
};

async function lookupWithTimeout(host: string, opts: ResolveOptions) {
  const run = opts.lookupAll ?? ((h: string) => lookup(h, { all: true, order: 'verbatim' }));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsError(host, 'ETIMEOUT', `DNS lookup of ${host} timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  });
  try {
    return await Promise.race([run(host), timeout]);
  } catch (e) {
    if (e instanceof DnsError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'EDNS';
    throw new DnsError(host, code, `DNS lookup of ${host} failed: ${DNS_MESSAGES[code] ?? (e as Error).message} (${code})`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolve `host` (a name, or an IP literal in any spelling) to every address, or the --resolve override,
 * and judge each one. Throws PolicyError if any address is refused (a name that mixes public and private
 * answers is refused as a whole, so round-robin cannot smuggle a private one in), DnsError if it does not
 * resolve. Connect to the returned addresses, with SNI and Host set to the name.
 */
export async function resolveChecked(host: string, opts: ResolveOptions): Promise<ResolvedAddress[]> {
  const name = normalizeHost(host);
  if (!name) throw new DnsError(host, 'EINVAL', 'empty host name');
  let addrs: ResolvedAddress[];
  const lit = parseHostLiteral(name);
  const override = findOverride(name, opts.resolve);
  if (override !== undefined) {
    const o = parseHostLiteral(override);
    if (!o) throw new DnsError(host, 'EINVAL', `the --resolve address for ${host} (${JSON.stringify(override)}) is not an IP address`);
    addrs = [o];
  } else if (lit) {
    addrs = [lit];
  } else if (name === 'localhost' || name.endsWith('.localhost')) {
    // RFC 6761: these names are loopback whatever DNS says.
    addrs = [{ address: '127.0.0.1', family: 4 }];
  } else {
    const found = await lookupWithTimeout(name, opts);
    addrs = [];
    for (const f of found) {
      const l = parseHostLiteral(f.address);
      if (l && !addrs.some((x) => x.address === l.address)) addrs.push(l);
    }
    if (!addrs.length) throw new DnsError(host, 'ENODATA', `DNS lookup of ${host} returned no addresses`);
  }
  for (const a of addrs) {
    const v = checkAddress(a.address, opts.allowPrivate);
    if (!v.allowed) throw new PolicyError(host, a.address, v.reason);
  }
  return addrs;
}
