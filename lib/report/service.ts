// The one code path behind POST /api/reports and the form's server action: validate, store a `running` report,
// run the diagnosis in the background and store it as it progresses.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { allowPrivateFromEnv } from '@/lib/net/policy';
import { screenCertFiles } from '@/lib/pki/offload';
import type { DiagnosisContext, DiagnosisInput } from './artifacts';
import { ALL_COLLECTORS } from './collectors';
import { reportInput } from './report-input';
import { runDiagnosis } from './runner';
import { reportSchema, summarize, type Report, type Target } from './schema';
import { getStore, type DeleteResult, type ReportStore } from './store';
import { checkFileList, checkPasted, checkTextFields, formatBytes, LIMITS, splitNodes, type Field, type FieldError, type Reason } from './submission';

/** 128 bits of randomness, base64url. */
/**
 * The uploader chooses the file name, and it ends up inside ready-to-run commands of a report that is shared with a
 * helpdesk (certutil -verify -urlfetch <name>, Resolve-Path '<name>'). Keep it to characters no shell gives meaning to.
 */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^[.\s-]+/, '').trim().slice(0, 100);
  return clean || 'upload.cer';
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const newReportId = () => randomBytes(16).toString('base64url');
const newDeleteToken = () => randomBytes(32).toString('base64url');

export interface UploadedCertificate {
  name: string;
  size: number;
  bytes: Uint8Array;
}

const optionalText = z
  .string()
  .max(4096)
  .optional()
  .transform((v) => v?.trim() || undefined);

export const submissionSchema = z
  .object({
    certificates: z.array(z.object({ name: z.string().max(255), size: z.number().int().nonnegative(), bytes: z.instanceof(Uint8Array) })),
    upn: optionalText,
    federationHost: optionalText,
    nodes: optionalText,
    tlsClientPort: optionalText,
    target: optionalText,
    pasted: z.array(z.string()),
  })
  .superRefine(async (v, ctx) => {
    const add = (i: FieldError) => ctx.addIssue({ code: 'custom', path: [i.field ?? 'certificates'], message: i.error, params: { reason: i.reason, box: i.box } });
    const files = checkFileList(v.certificates, { strictExtensions: false });
    if (files) return add(files);
    // Sniff the content too: a renamed PFX or a PEM with a key must be refused before anything is stored. Parsing runs
    // on the worker pool (never in the request's thread); a file over its time budget is refused as too costly.
    const screened = await screenCertFiles(v.certificates, LIMITS.maxFileBytes);
    for (const [i, f] of v.certificates.entries()) {
      const problem = screened[i].problem;
      if (problem && (problem.reason === 'pkcs12' || problem.reason === 'private-key'))
        return add({ field: 'certificates', reason: problem.reason, error: `${f.name}: ${problem.message}` });
      if (problem?.reason === 'over-budget') return add({ field: 'certificates', reason: 'too-big', error: `${f.name}: ${problem.message}` });
    }
    checkTextFields(v).forEach(add);
    const pasted = checkPasted(v.pasted);
    if (pasted) add(pasted);
  })
  .transform(({ pasted, ...v }) => ({
    ...v,
    domain: v.upn?.slice(v.upn.lastIndexOf('@') + 1).toLowerCase(),
    federationHost: v.federationHost?.toLowerCase().replace(/\.$/, ''),
    nodes: v.nodes ? splitNodes(v.nodes) : undefined,
    tlsClientPort: v.tlsClientPort ? Number(v.tlsClientPort) : undefined,
    target: v.target && v.target !== 'auto' ? (v.target as Target) : undefined,
    // Named after their position as sent (the form's "Paste N"), so an empty box in between does not shift the
    // names the report quotes.
    pasteBoxes: pasted.flatMap((text, i) => (text.trim() ? [{ name: `paste ${i + 1}`, text }] : [])),
  }));
export type Submission = z.output<typeof submissionSchema>;

export type Parsed = { ok: true; value: Submission } | { ok: false; error: FieldError };

function firstIssue(issues: z.core.$ZodIssue[]): FieldError {
  const i = issues[0];
  const field = (typeof i.path[0] === 'string' ? i.path[0] : null) as Field | null;
  const params = (i as { params?: { reason?: Reason; box?: number } }).params;
  const reason = (params?.reason ?? 'invalid') as Reason;
  return { field, reason, error: i.message, ...(typeof params?.box === 'number' ? { box: params.box } : {}) };
}

/** Reads the multipart fields (unknown fields are ignored) and validates them. */
export async function parseSubmission(form: FormData): Promise<Parsed> {
  const text = (k: Field) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const entries = form.getAll('certificates');
  const certificates: UploadedCertificate[] = [];
  for (const e of entries) {
    if (typeof e === 'string') {
      if (!e) continue; // an empty file input sends an empty string in some clients
      return { ok: false, error: { field: 'certificates', reason: 'type', error: 'certificates must be sent as files (multipart/form-data file parts).' } };
    }
    if (e.size === 0 && !e.name) continue; // an empty file input sends a nameless empty part
    // Refuse oversized parts before reading them into memory.
    const bytes = e.size <= LIMITS.maxFileBytes ? new Uint8Array(await e.arrayBuffer()) : new Uint8Array();
    certificates.push({ name: safeFileName(e.name), size: e.size, bytes });
  }
  // Pastes come as text fields; a file part (curl -F pasted=@output.txt) is read as UTF-8 text, unless it is too big
  // to be a paste, in which case it is refused without being read.
  const pasted: string[] = [];
  for (const [i, p] of form.getAll('pasted').entries()) {
    if (typeof p === 'string') pasted.push(p);
    else if (p.size > LIMITS.maxPasteBytes)
      return {
        ok: false,
        error: { field: 'pasted', reason: 'too-big', box: i, error: `Paste ${i + 1} (${p.name || 'a file'}) is ${formatBytes(p.size)}; each paste may be at most ${formatBytes(LIMITS.maxPasteBytes)}. Send only the output of the listed commands.` },
      };
    else pasted.push(await p.text());
  }
  const input = {
    certificates,
    upn: text('upn'),
    federationHost: text('federationHost'),
    nodes: text('nodes'),
    tlsClientPort: text('tlsClientPort'),
    target: text('target'),
    pasted,
  };
  const r = await submissionSchema.safeParseAsync(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: firstIssue(r.error.issues) };
}

// ---- rate limit -------------------------------------------------------------------------------------------

/** Sliding-window counter per client address, in memory (one portal process). */
export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one attempt; returns the seconds to wait when over the limit. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    if (this.limit <= 0) return { ok: true };
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { ok: false, retryAfter: Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return { ok: true };
  }

  private prune(now: number) {
    for (const [k, v] of this.hits) if (!v.some((t) => t > now - this.windowMs)) this.hits.delete(k);
  }
}

const LIMITER_KEY = Symbol.for('cba-doctor.rate-limiter');
function limiter(): RateLimiter {
  const g = globalThis as { [LIMITER_KEY]?: RateLimiter };
  // CBA_DOCTOR_RATE_LIMIT: reports per client per 10 minutes (0 turns the limit off).
  const n = Number(process.env.CBA_DOCTOR_RATE_LIMIT ?? '30');
  g[LIMITER_KEY] ??= new RateLimiter(Number.isFinite(n) ? n : 30, 10 * 60_000);
  return g[LIMITER_KEY];
}

/** The client address for rate limiting: the first X-Forwarded-For entry (Next fills it from the socket). */
export function clientKey(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || 'unknown';
}

// ---- creation and background run ---------------------------------------------------------------------------

export function diagnosisContext(target: Target | undefined, env: Record<string, string | undefined> = process.env): DiagnosisContext {
  return { now: new Date(), requestedTarget: target, offline: false, allowPrivate: allowPrivateFromEnv(env), timeoutMs: 10_000 };
}

export function diagnosisInput(s: Submission): DiagnosisInput {
  return {
    upn: s.upn,
    domain: s.domain,
    federationHost: s.federationHost,
    nodes: s.nodes,
    tlsClientPort: s.tlsClientPort,
    files: s.certificates.map((c) => ({ name: c.name, bytes: c.bytes })),
    crlFiles: [],
    pasted: s.pasteBoxes,
  };
}

export type CreateResult =
  | { ok: true; id: string; deleteToken: string }
  | { ok: false; status: 400 | 429; error: FieldError; retryAfter?: number };

const RUNNING_KEY = Symbol.for('cba-doctor.running');
/** Diagnoses in flight in this process (tests and shutdown can wait for them). */
export function runningDiagnoses(): Map<string, Promise<void>> {
  const g = globalThis as { [RUNNING_KEY]?: Map<string, Promise<void>> };
  return (g[RUNNING_KEY] ??= new Map());
}

// A diagnosis holds downloaded CRLs (up to the byte cap) in memory and opens many sockets, so the process runs only a
// few at once and queues the rest; beyond the queue, creation is refused. The per-client limit keys on
// X-Forwarded-For, which a client can forge when no proxy overwrites it: this global bound holds regardless.
const GATE_KEY = Symbol.for('cba-doctor.gate');
export class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}
  get busy() {
    return this.active >= this.concurrency && this.waiting.length >= this.maxQueue;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
function gate(): Gate {
  const g = globalThis as { [GATE_KEY]?: Gate };
  const n = Number(process.env.CBA_DOCTOR_MAX_CONCURRENT ?? '4');
  return (g[GATE_KEY] ??= new Gate(Number.isInteger(n) && n > 0 ? n : 4, 100));
}

export async function startDiagnosis(s: Submission, store: ReportStore): Promise<{ id: string; deleteToken: string }> {
  const id = newReportId();
  const deleteToken = newDeleteToken();
  const input = diagnosisInput(s);
  const ctx = diagnosisContext(s.target);
  const now = new Date().toISOString();
  const initial: Report = reportSchema.parse({
    schemaVersion: 1,
    id,
    createdAt: now,
    updatedAt: now,
    status: 'running',
    target: ctx.requestedTarget ?? 'unknown',
    input: reportInput({ ctx, input, target: ctx.requestedTarget ?? 'unknown' }),
    summary: summarize([]),
    checks: [],
  });
  await store.create(initial, deleteToken);
  // createdAt stays the moment the report was stored, whatever the runner stamps.
  const keep = (r: Report): Report => ({ ...r, id, createdAt: now });
  const run = gate()
    .run(() => runDiagnosis(input, ctx, { id, checks: ALL_CHECKS, collectors: ALL_COLLECTORS, onUpdate: (r) => store.update(keep(r)).then(() => undefined) }))
    .then((final) => store.update(keep(final)))
    .catch(async () => {
      // The engine itself failed (not a check: those become `error` results). Keep what was stored, and say it stopped.
      const last = await store.get(id);
      if (last) await store.update({ ...last, status: 'interrupted', updatedAt: new Date().toISOString() });
    })
    .catch(() => undefined)
    .finally(() => runningDiagnoses().delete(id));
  runningDiagnoses().set(id, run.then(() => undefined));
  return { id, deleteToken };
}

/** Validates a submission and starts its diagnosis. Nothing is stored when the request is refused. */
export async function createReport(form: FormData, client: string, store?: ReportStore): Promise<CreateResult> {
  const rl = limiter().take(client);
  if (!rl.ok)
    return {
      ok: false,
      status: 429,
      retryAfter: rl.retryAfter,
      error: { field: null, reason: 'rate-limit', error: `Too many reports from this address; try again in ${rl.retryAfter} seconds.` },
    };
  if (gate().busy)
    return { ok: false, status: 429, retryAfter: 30, error: { field: null, reason: 'busy', error: 'The server is running as many diagnoses as it can right now; try again in 30 seconds.' } };
  const parsed = await parseSubmission(form);
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
  const started = await startDiagnosis(parsed.value, store ?? (await getStore()));
  return { ok: true, ...started };
}

export async function getReport(id: string, store?: ReportStore): Promise<Report | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  return (store ?? (await getStore())).get(id);
}

export async function deleteReport(id: string, token: string, store?: ReportStore): Promise<DeleteResult> {
  if (!ID_PATTERN.test(id)) return 'not-found';
  return (store ?? (await getStore())).delete(id, token);
}

/**
 * Total request size accepted before parsing: the file limit plus room for text fields and multipart framing. Pastes
 * get room well beyond their own limit, so an oversized paste is refused by the field check with its own message.
 */
export const MAX_BODY_BYTES = LIMITS.maxTotalBytes + LIMITS.maxPastedBytes * 4 + 256 * 1024;

/** Reads a multipart request with a hard byte cap, so an oversized upload is refused without buffering it all. */
export async function readMultipart(req: Request): Promise<{ ok: true; form: FormData } | { ok: false; error: FieldError }> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type))
    return { ok: false, error: { field: null, reason: 'bad-request', error: 'Send the submission as multipart/form-data (curl -F certificates=@user.cer -F upn=...).' } };
  const tooBig: FieldError = {
    field: 'certificates',
    reason: 'too-big',
    error: `The upload is larger than ${Math.round(MAX_BODY_BYTES / 1024 / 1024)} MB; certificates are small, so upload only the user certificate and its CA certificates (pasted output may add ${formatBytes(LIMITS.maxPastedBytes)}).`,
  };
  const declared = Number(req.headers.get('content-length') ?? 'NaN');
  if (declared > MAX_BODY_BYTES) return { ok: false, error: tooBig };
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, error: tooBig };
      }
      chunks.push(value);
    }
  }
  try {
    const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
    return { ok: true, form };
  } catch {
    return { ok: false, error: { field: null, reason: 'bad-request', error: 'The multipart body could not be read. Check the Content-Type boundary and the encoding.' } };
  }
}
