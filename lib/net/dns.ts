// Name resolution for the probes: every address of a name (or its --resolve override), each classified as
// public or not, so adfs.dns can list them all. The same answer is then handed to resolveChecked as its
// lookup, so the policy judges exactly the addresses listed here and the probes connect to those.
import { lookup } from 'node:dns/promises';
import { checkAddress, DnsError, findOverride, normalizeHost, parseHostLiteral, resolveChecked, type ResolvedAddress } from './policy';
import { classifyError, elapsed, type NetError } from './tcp';

export interface ListedAddress {
  address: string;
  family: 4 | 6;
  /** Reachable from the Internet (not private, loopback, link-local, CGNAT, reserved...). */
  public: boolean;
  /** Why it is not public, in words. */
  range?: string;
}

export interface DnsAnswer {
  host: string;
  /** Where the addresses came from: DNS, a --resolve override, or the name was an address already. */
  source: 'dns' | 'override' | 'literal' | 'localhost';
  addresses: ListedAddress[];
  ms: number;
  error?: NetError;
}

export interface LookupOptions {
  /** host → address overrides (CLI --resolve). */
  resolve?: Record<string, string>;
  timeoutMs: number;
  /** Replaceable lookup (tests, or another resolver). Must return every address. */
  lookupAll?: (host: string) => Promise<{ address: string; family: number }[]>;
}

function listed(address: string, family: 4 | 6): ListedAddress {
  const v = checkAddress(address, false);
  return v.allowed ? { address, family, public: true } : { address, family, public: false, range: v.reason };
}

/** Every address of `host`. Never throws: a failed lookup is returned as `error` (kind dns). */
export async function lookupHost(host: string, opts: LookupOptions): Promise<DnsAnswer> {
  const t0 = performance.now();
  const name = normalizeHost(host);
  const o = findOverride(name, opts.resolve);
  if (o !== undefined) {
    const lit = parseHostLiteral(o);
    if (!lit) return { host: name, source: 'override', addresses: [], ms: elapsed(t0), error: { kind: 'dns', message: `the --resolve address for ${name} is not an IP address` } };
    return { host: name, source: 'override', addresses: [listed(lit.address, lit.family)], ms: elapsed(t0) };
  }
  const lit = parseHostLiteral(name);
  if (lit) return { host: name, source: 'literal', addresses: [listed(lit.address, lit.family)], ms: elapsed(t0) };
  if (name === 'localhost' || name.endsWith('.localhost')) return { host: name, source: 'localhost', addresses: [listed('127.0.0.1', 4)], ms: elapsed(t0) };
  try {
    // resolveChecked with every address allowed does the timed lookup and its error wording; the verdict
    // that matters for connecting is made later, by checkedAddresses.
    let raw: { address: string; family: number }[] = [];
    const run = opts.lookupAll ?? ((h: string) => lookup(h, { all: true, order: 'verbatim' }));
    await resolveChecked(name, {
      allowPrivate: true,
      timeoutMs: opts.timeoutMs,
      lookupAll: async (h) => (raw = await run(h)),
    }).catch((e) => {
      if (e instanceof DnsError) throw e;
      // A refusal (cloud metadata) is not a resolution failure: the address is still listed.
    });
    const out: ListedAddress[] = [];
    for (const r of raw) {
      const l = parseHostLiteral(r.address);
      if (l && !out.some((x) => x.address === l.address)) out.push(listed(l.address, l.family));
    }
    return { host: name, source: 'dns', addresses: out, ms: elapsed(t0) };
  } catch (e) {
    return { host: name, source: 'dns', addresses: [], ms: elapsed(t0), error: classifyError(e) };
  }
}

/**
 * The addresses of an answer that the policy lets us connect to, judged by resolveChecked itself.
 * Throws PolicyError (a refused address) or DnsError (nothing to connect to).
 */
export async function checkedAddresses(answer: DnsAnswer, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  if (answer.error) throw answer.error.kind === 'dns' ? new DnsError(answer.host, answer.error.code ?? 'EDNS', answer.error.message) : new Error(answer.error.message);
  const addrs = answer.addresses.map((a) => ({ address: a.address, family: a.family }));
  if (answer.source !== 'dns') {
    // Literal, override or localhost: resolveChecked recognises these itself; pass the override on.
    return resolveChecked(answer.host, { allowPrivate, timeoutMs: 1000, resolve: answer.source === 'override' ? { [answer.host]: addrs[0].address } : undefined });
  }
  return resolveChecked(answer.host, { allowPrivate, timeoutMs: 1000, lookupAll: async () => addrs });
}
