// Downloads every CRL the path needs, the way AD FS and Entra would: each HTTP(S) CDP URL of every
// certificate except the root (unless that CA's CRL was given as a file), all at once with a limit per URL,
// then the delta CRLs named by the certificates' and the base CRLs' Freshest CRL extensions.
import type { Collector } from '@/lib/report/collector';
import type { CrlSet, ParsedCrl } from '@/lib/pki/crl/types';
import { parseCrl } from '@/lib/pki/crl/parse';
import { readCrlDownload } from '@/lib/pki/offload';
import type { ChainResult } from '@/lib/pki/chain/types';
import { CRL_MAX_BYTES, CRL_TIMEOUT_MS, guardedFetch, type FetchResult, type GuardedFetchOptions } from './http';
import { crlTargets, isFetchable, type CrlTarget } from './crl-targets';
import type { CrlDownload } from './types';

export interface CrlFetchOptions {
  /** Whole-download time limit per URL (default 30 s, or CBA_DOCTOR_CRL_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Byte cap per URL (default 160 MB, or CBA_DOCTOR_CRL_MAX_BYTES). */
  maxBytes?: number;
  /** Downloads in flight at once. */
  concurrency?: number;
  /** Test hook: passed to every fetch (e.g. extra CAs for HTTPS). */
  fetch?: Partial<GuardedFetchOptions>;
}

function positiveInt(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

/** The CRL limits from the environment; tests and small deployments shorten them this way. */
export function crlLimitsFromEnv(env: Record<string, string | undefined> = process.env): { timeoutMs: number; maxBytes: number } {
  return {
    timeoutMs: positiveInt(env.CBA_DOCTOR_CRL_TIMEOUT_MS) ?? CRL_TIMEOUT_MS,
    maxBytes: positiveInt(env.CBA_DOCTOR_CRL_MAX_BYTES) ?? CRL_MAX_BYTES,
  };
}

const PEM_CRL = /-----BEGIN (X509 CRL|CRL)-----/;

/** DER, PEM, bare base64 or something else; bare base64 comes back decoded so it can be parsed. */
export function crlEncoding(body: Uint8Array): { encoding: NonNullable<CrlDownload['encoding']>; der?: Uint8Array } {
  let b = body;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.length === 0) return { encoding: 'other' };
  if (b[0] === 0x30) return { encoding: 'der' };
  // Only the head is inspected as text: a 100 MB body is never turned into one string for sniffing.
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 4096)).toString('latin1');
  if (PEM_CRL.test(head) || head.includes('-----BEGIN ')) return { encoding: 'pem' };
  if (/^[A-Za-z0-9+/=\s]+$/.test(head)) {
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    if (/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(text)) {
      const der = new Uint8Array(Buffer.from(text, 'base64'));
      if (der[0] === 0x30) return { encoding: 'base64', der };
    }
  }
  return { encoding: 'other' };
}

/** Reads a downloaded body as a CRL: its encoding, the parsed header, or why it is not a CRL. */
export function readCrlBody(body: Uint8Array, url: string): Pick<CrlDownload, 'encoding' | 'parsed' | 'parseError'> {
  const { encoding, der } = crlEncoding(body);
  try {
    const parsed: ParsedCrl = parseCrl(der ?? body, { kind: 'download', name: url, url });
    return { encoding, parsed };
  } catch (e) {
    return { encoding, parseError: (e as Error).message };
  }
}

/** A tiny semaphore: CRL servers are often one small IIS box, so do not open dozens of downloads at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function downloadCrls(
  chain: ChainResult | undefined,
  crlFiles: CrlSet | undefined,
  net: { allowPrivate: boolean; resolve?: Record<string, string> },
  opts: CrlFetchOptions = {},
): Promise<CrlDownload[]> {
  const env = crlLimitsFromEnv();
  const timeoutMs = opts.timeoutMs ?? env.timeoutMs;
  const maxBytes = opts.maxBytes ?? env.maxBytes;
  const limit = limiter(opts.concurrency ?? 6);
  const fetches = new Map<string, Promise<FetchResult & Pick<CrlDownload, 'encoding' | 'parsed' | 'parseError'>>>();
  const fetchOnce = (url: string) => {
    let p = fetches.get(url);
    if (!p) {
      // Read on the worker pool: decoding and scanning a 100 MB CRL must not stall the portal.
      p = limit(() => guardedFetch(url, { allowPrivate: net.allowPrivate, resolve: net.resolve, timeoutMs, maxBytes, ...opts.fetch })).then(async (r) =>
        r.record.ok && r.body ? { ...r, ...(await readCrlDownload(r.body, url).catch((e: Error) => ({ encoding: crlEncoding(r.body!).encoding, parseError: e.message }))) } : r,
      );
      fetches.set(url, p);
    }
    return p;
  };

  const out: { order: number[]; d: CrlDownload }[] = [];
  const targets = crlTargets(chain, crlFiles);
  await Promise.all(
    targets.map(async (t: CrlTarget, ti) => {
      if (t.coveredByFile) return;
      const started = new Set<string>();
      const tasks: Promise<void>[] = [];
      const get = (url: string, kind: CrlDownload['kind'], order: number) => {
        if (started.has(`${kind} ${url}`)) return;
        started.add(`${kind} ${url}`);
        tasks.push(
          fetchOnce(url).then((r) => {
            const d: CrlDownload = { caRef: t.ca?.ref, forRef: t.cert.ref, kind, fetch: r.record, body: r.body, encoding: r.encoding, parsed: r.parsed, parseError: r.parseError };
            out.push({ order: [ti, kind === 'base' ? 0 : 1, order], d });
            // A base CRL may name its delta in its own Freshest CRL extension.
            if (kind === 'base') (r.parsed?.freshestCrl ?? []).flatMap((dp) => dp.urls).filter(isFetchable).forEach((u, i) => get(u, 'delta', 100 + i));
          }),
        );
      };
      t.cdpUrls.filter(isFetchable).forEach((u, i) => get(u, 'base', i));
      t.freshestUrls.filter(isFetchable).forEach((u, i) => get(u, 'delta', i));
      // Tasks may add tasks (deltas found in base CRLs): wait until the list stops growing.
      for (let done = 0; done < tasks.length; ) {
        const n = tasks.length;
        await Promise.all(tasks.slice(done, n));
        done = n;
      }
    }),
  );
  out.sort((x, y) => x.order[0] - y.order[0] || x.order[1] - y.order[1] || x.order[2] - y.order[2]);
  return out.map((o) => o.d);
}

export function makeCrlDownloadsCollector(opts: CrlFetchOptions = {}): Collector {
  return {
    name: 'CRL downloads',
    needs: ['chain', 'crlFiles'],
    provides: ['crlDownloads'],
    async run(a) {
      if (a.ctx.offline || !a.chain) return {};
      return { crlDownloads: await downloadCrls(a.chain, a.crlFiles, { allowPrivate: a.ctx.allowPrivate, resolve: a.input.resolve }, opts) };
    },
  };
}

export const crlDownloadsCollector = makeCrlDownloadsCollector();
