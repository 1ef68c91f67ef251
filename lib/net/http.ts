// Guarded HTTP(S) GET: every hop resolved and judged by the network policy, the connection pinned to the
// judged address, one deadline over the whole request (DNS, connect, redirects, body), a byte cap checked
// while streaming, and the timing measured (time to first byte, total).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkAddress, DnsError, parseHostLiteral, PolicyError, resolveChecked, type ResolvedAddress, type ResolveOptions } from './policy';
import type { FetchErrorKind, FetchRecord } from './types';
import { netFailure } from './events';

export const CRL_TIMEOUT_MS = 30_000;
/** 160 MB: above the 150 MB Entra background CRL limit of US Government clouds, so such a CRL can be measured. */
export const CRL_MAX_BYTES = 160 * 1024 * 1024;
export const MAX_REDIRECTS = 3;
const USER_AGENT = 'cba-doctor/0.1 (+certificate-based authentication diagnostics)';

export interface GuardedFetchOptions {
  allowPrivate: boolean;
  /** host → address overrides (CLI --resolve). */
  resolve?: Record<string, string>;
  /** Deadline for the whole request including redirects and body (default 30 s). */
  timeoutMs?: number;
  /** Body byte cap; the download stops once it is passed (default 100 MB). */
  maxBytes?: number;
  maxRedirects?: number;
  /** Keep the body in memory and return it (default true). */
  keepBody?: boolean;
  /** Called with every body chunk of the final response, for parsers that work while bytes arrive. */
  onChunk?: (chunk: Uint8Array) => void;
  headers?: Record<string, string>;
  /** GET (default) or POST with this body (the token endpoint of an API client such as Microsoft Graph's). */
  method?: 'GET' | 'POST';
  body?: string;
  /**
   * API answers: any HTTP status is a complete answer (record.ok, httpStatus says which), its body is kept,
   * and the response headers are recorded (Retry-After, error details). Redirects are not followed.
   */
  anyStatus?: boolean;
  /** Extra trust anchors for HTTPS (tests); NODE_EXTRA_CA_CERTS also works. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Replaceable DNS lookup (see resolveChecked). */
  lookupAll?: ResolveOptions['lookupAll'];
  signal?: AbortSignal;
}

export interface FetchResult {
  record: FetchRecord;
  /** The body of a 2xx answer when keepBody; in memory only, never stored. */
  body?: Uint8Array;
}

type ErrorKind = FetchErrorKind;

class FetchFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|EPROTO$)/;

function classify(e: unknown, host: string): NonNullable<FetchRecord['error']> {
  if (e instanceof FetchFailure) return { kind: e.kind, message: e.message };
  if (e instanceof PolicyError) {
    // Only a private address can be unlocked with --allow-private; cloud metadata addresses never are, so no hint then.
    const privateOnly = checkAddress(e.address, true).allowed;
    return privateOnly
      ? { kind: 'blocked', privateOnly, message: `${e.message}. Set CBA_DOCTOR_ALLOW_PRIVATE=1 (CLI: --allow-private) only where reaching internal addresses is intended.` }
      : { kind: 'blocked', privateOnly, message: `${e.message}; this address is refused even when private addresses are allowed` };
  }
  if (e instanceof DnsError) return { kind: 'dns', message: e.message };
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `${host} refused the connection (nothing listens on that port, or a firewall rejects it)` };
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH')
    return { kind: 'timeout', message: `could not reach ${host} (${code}): a firewall may drop the traffic` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(msg)) return { kind: 'reset', message: `${host} closed or reset the connection before the answer was complete (${code || msg})` };
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(msg)) return { kind: 'tls', message: `TLS with ${host} failed: ${msg}${code ? ` (${code})` : ''}` };
  return { kind: 'other', message: `${msg}${code ? ` (${code})` : ''}` };
}

/** A lookup that only ever answers the addresses the policy already judged: no second DNS query. */
function pinnedLookup(host: string, addrs: ResolvedAddress[]): LookupFunction {
  return (hostname, options, cb) => {
    const mismatch = hostname.toLowerCase().replace(/\.$/, '') !== host.toLowerCase().replace(/\.$/, '');
    if (mismatch) {
      const err = Object.assign(new Error(`unexpected lookup of ${hostname}`), { code: 'ENOTFOUND' });
      (cb as (e: NodeJS.ErrnoException) => void)(err);
      return;
    }
    const wanted = options.family === 4 || options.family === 6 ? addrs.filter((a) => a.family === options.family) : addrs;
    const list = wanted.length ? wanted : addrs;
    if (options.all) (cb as (e: null, a: { address: string; family: number }[]) => void)(null, list);
    else (cb as (e: null, a: string, f: number) => void)(null, list[0].address, list[0].family);
  };
}

function hostOf(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

/** Fetch one URL with GET under the network policy. Never throws: failures are in record.error. */
export async function guardedFetch(url: string, opts: GuardedFetchOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? CRL_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? CRL_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;
  const t0 = performance.now();
  const record: FetchRecord = { url, redirects: [], ok: false, bytes: 0, totalMs: 0, timeoutMs, maxBytes };
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  const onOuterAbort = () => ac.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let body: Uint8Array | undefined;
  let current: URL | undefined;
  try {
    let at = parseFetchUrl(url);
    current = at;
    for (;;) {
      const deadline = new Promise<never>((_, reject) => {
        if (ac.signal.aborted) reject(new FetchFailure('timeout', ''));
        ac.signal.addEventListener('abort', () => reject(new FetchFailure('timeout', '')), { once: true });
      });
      deadline.catch(() => {});
      const host = hostOf(at);
      const addrs = await Promise.race([
        resolveChecked(host, { allowPrivate: opts.allowPrivate, resolve: opts.resolve, timeoutMs, lookupAll: opts.lookupAll }),
        deadline,
      ]);
      const res = await request(at, host, addrs, opts, ac.signal);
      record.address = res.socket?.remoteAddress ?? addrs[0].address;
      record.httpStatus = res.statusCode;
      const loc = res.headers.location;
      if (opts.anyStatus) record.headers = Object.fromEntries(Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])));
      if (!opts.anyStatus && res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && loc) {
        res.resume();
        const next: URL = new URL(loc, at);
        record.redirects.push(next.href);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          throw new FetchFailure('blocked', `redirect ${record.redirects.length} goes to a ${next.protocol} URL; only http and https are followed`);
        if (record.redirects.length > maxRedirects) throw new FetchFailure('http', `more than ${maxRedirects} redirects (stopped at ${next.href})`);
        at = next;
        current = next;
        continue;
      }
      record.ttfbMs = round(performance.now() - t0);
      record.contentType = res.headers['content-type'];
      const declared = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
      if (declared !== undefined && Number.isFinite(declared)) record.declaredBytes = declared;
      const status = res.statusCode ?? 0;
      if (!opts.anyStatus && (status < 200 || status > 299)) {
        res.resume();
        throw new FetchFailure('http', `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}${status === 403 ? ' (often a firewall, proxy or web application firewall rule)' : ''}`);
      }
      if (declared !== undefined && declared > maxBytes) {
        res.destroy();
        throw new FetchFailure('too-big', `the server announced ${declared} bytes, over the ${maxBytes}-byte limit; the download was not started`);
      }
      body = await readBody(res, record, maxBytes, opts);
      record.ok = true;
      break;
    }
  } catch (e) {
    const host = current ? hostOf(current) : url;
    record.error = timedOut
      ? { kind: 'timeout', message: `no complete answer within ${timeoutMs / 1000} s (stopped after ${record.bytes} bytes)` }
      : opts.signal?.aborted
        ? { kind: 'other', message: 'cancelled' }
        : classify(e, host);
    if (e instanceof PolicyError && record.redirects.length)
      record.error.message = `redirect ${record.redirects.length} (${record.redirects[record.redirects.length - 1]}) was refused: ${record.error.message}`;
    netFailure('http', record.error.kind);
    body = undefined;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    record.totalMs = round(performance.now() - t0);
    if (current && current.href !== url) record.finalUrl = current.href;
  }
  return { record, body: opts.keepBody === false ? undefined : body };
}

function round(ms: number) {
  return Math.round(ms * 10) / 10;
}

function parseFetchUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FetchFailure('url', `not a valid URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FetchFailure('blocked', `${u.protocol} URLs are not fetched (only http and https)`);
  if (u.username || u.password) throw new FetchFailure('blocked', 'URLs with embedded credentials are not fetched');
  return u;
}

function request(u: URL, host: string, addrs: ResolvedAddress[], opts: GuardedFetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = u.protocol === 'https:';
    const common: http.RequestOptions = {
      method: opts.method ?? 'GET',
      hostname: host,
      port: u.port || (secure ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      headers: { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity', ...opts.headers, ...(opts.method === 'POST' ? { 'content-length': String(Buffer.byteLength(opts.body ?? '')) } : {}) },
      lookup: pinnedLookup(host, addrs),
      agent: false,
      signal,
    };
    const req = secure ? https.request({ ...common, servername: parseHostLiteral(host) ? undefined : host, ca: opts.ca }) : http.request(common);
    req.once('response', resolve);
    req.once('error', reject);
    req.end(opts.method === 'POST' ? (opts.body ?? '') : undefined);
  });
}

function readBody(res: http.IncomingMessage, record: FetchRecord, maxBytes: number, opts: GuardedFetchOptions): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const keep = opts.keepBody !== false;
    let settled = false;
    // The first outcome wins: destroying the stream for the byte cap also fires close/aborted.
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const cut = () => fail(new FetchFailure('reset', `the connection closed after ${record.bytes} bytes, before the body was complete`));
    res.on('data', (c: Buffer) => {
      if (settled) return;
      record.bytes += c.length;
      if (record.bytes > maxBytes) {
        fail(new FetchFailure('too-big', `the body passed the ${maxBytes}-byte limit; the download was stopped`));
        res.destroy();
        return;
      }
      if (keep) chunks.push(c);
      opts.onChunk?.(c);
    });
    res.once('end', () => {
      if (!res.complete) return cut();
      if (settled) return;
      settled = true;
      resolve(keep ? new Uint8Array(Buffer.concat(chunks)) : new Uint8Array(0));
    });
    res.once('aborted', cut);
    res.once('error', fail);
    res.once('close', () => {
      if (!res.complete) cut();
    });
  });
}
