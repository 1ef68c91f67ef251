// The one code path behind POST /api/reports (the API and the form): validate, store a `running` report,
// run the diagnosis in the background and store it as it progresses.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import busboy from 'busboy';
import { z } from 'zod';
import { allowPrivateFromEnv } from '@/lib/net/policy';
import { screenCertFiles } from '@/lib/pki/offload';
import type { DiagnosisContext, DiagnosisInput } from './artifacts';
import { dispatch, gate } from './jobs';
import type { DeviceInput } from '@/lib/device/types';
import { reportInput } from './report-input';
import { reportSchema, settleVerdict, summarize, type Cloud, type Report, type Target } from './schema';
import { getStore, type DeleteResult, type ReportStore } from '@/lib/store';
import { checkFileList, checkPasted, checkServerName, normalizeServerName, checkTextFields, exactBytes, limitBytes, LIMITS, sizeOverLimit, splitNodes, wantsGraph, type Field, type FieldError, type Reason } from './submission';
import { liveLookupForPortal } from '@/lib/graph/config';

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

/** Node's own address parser on the server (IPv6 may come in brackets). */
const serverIsIp = (s: string) => isIP(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s) !== 0;

/** A text field; its length limit gets a sentence of our own (zod's own messages never reach users). */
const MAX_TEXT = 4096;
const optionalText = (label: string) =>
  z
    .string({ error: `${label} must be sent as a text field.` })
    .max(MAX_TEXT, { error: (i) => `${label} is ${(i.input as string).length.toLocaleString('en-US')} characters long; the limit is ${MAX_TEXT.toLocaleString('en-US')} characters.` })
    .optional()
    .transform((v) => v?.trim() || undefined);

export const submissionSchema = z
  .object({
    certificates: z.array(z.object({ name: z.string().max(255), size: z.number().int().nonnegative(), bytes: z.instanceof(Uint8Array) })),
    upn: optionalText('The sign-in address'),
    federationHost: optionalText('The federation host'),
    nodes: optionalText('The node list'),
    tlsClientPort: optionalText('The TLS client port'),
    target: optionalText('The target'),
    cloud: optionalText('The cloud'),
    userCertificate: optionalText('The user certificate choice'),
    graph: optionalText('The live lookup switch'),
    correlationId: optionalText('The correlation ID'),
    pasted: z.array(z.string({ error: 'Pasted output must be sent as text.' })),
    /** The server each paste came from, by position (issue 14): pastedNode[i] labels pasted[i]; '' = none. */
    pastedNode: z.array(z.string().max(300)).default([]),
  })
  .superRefine(async (v, ctx) => {
    const add = (i: FieldError) => ctx.addIssue({ code: 'custom', path: [i.field ?? 'certificates'], message: i.error, params: { reason: i.reason, box: i.box } });
    const files = checkFileList(v.certificates, { strictExtensions: false });
    if (files) return add(files);
    // Sniff the content too: a renamed PFX or a PEM with a key must be refused before anything is stored, and so
    // must a set in which no file holds a certificate (random bytes, a CSR): there is nothing to diagnose. Parsing runs
    // on the worker pool (never in the request's thread); a file over its time budget is refused as too costly.
    const screened = await screenCertFiles(v.certificates, LIMITS.maxFileBytes);
    let found = 0;
    const unreadable: string[] = [];
    for (const [i, f] of v.certificates.entries()) {
      const problem = screened[i].problem;
      if (problem && (problem.reason === 'pkcs12' || problem.reason === 'private-key'))
        return add({ field: 'certificates', reason: problem.reason, error: `${f.name}: ${problem.message}` });
      if (problem?.reason === 'over-budget') return add({ field: 'certificates', reason: 'too-big', error: `${f.name}: ${problem.message}` });
      found += screened[i].certs;
      if (problem && unreadable.length < 3) unreadable.push(`${f.name}: ${problem.message}`);
    }
    if (v.certificates.length && !found)
      return add({
        field: 'certificates',
        reason: 'invalid',
        error: `None of the uploaded files holds a certificate. ${unreadable.join(' ') || 'Upload the user certificate (.cer, DER or Base-64) and its CA certificates.'}`,
      });
    checkTextFields(v, serverIsIp).forEach(add);
    const pasted = checkPasted(v.pasted);
    if (pasted) add(pasted);
    if (v.pastedNode.length > v.pasted.length)
      add({ field: 'pastedNode', reason: 'invalid', error: `${v.pastedNode.length} server names were sent for ${v.pasted.length} pasted texts; send one pastedNode field per pasted field, in the same order.` });
    v.pastedNode.forEach((n, box) => {
      const e = checkServerName(n);
      if (e) add({ field: 'pastedNode', reason: 'invalid', error: e, box });
    });
  })
  .transform(({ pasted, pastedNode, ...v }) => ({
    ...v,
    domain: v.upn?.slice(v.upn.lastIndexOf('@') + 1).toLowerCase(),
    federationHost: v.federationHost?.toLowerCase().replace(/\.$/, ''),
    nodes: v.nodes ? splitNodes(v.nodes) : undefined,
    tlsClientPort: v.tlsClientPort ? Number(v.tlsClientPort) : undefined,
    target: v.target && v.target !== 'auto' ? (v.target as Target) : undefined,
    cloud: v.cloud ? (v.cloud as Cloud) : undefined,
    graph: wantsGraph(v.graph),
    correlationId: v.correlationId?.toLowerCase(),
    // Named after their position as sent (the form's "Paste N"), so an empty box in between does not shift the
    // names the report quotes.
    pasteBoxes: pasted.flatMap((text, i) => {
      const node = normalizeServerName(pastedNode[i]);
      return text.trim() ? [{ name: `paste ${i + 1}`, text, ...(node ? { node } : {}) }] : [];
    }),
  }));
export type Submission = z.output<typeof submissionSchema>;

export type Parsed = { ok: true; value: Submission } | { ok: false; error: FieldError };

function firstIssue(issues: z.core.$ZodIssue[]): FieldError {
  const i = issues[0];
  const field = (typeof i.path[0] === 'string' ? i.path[0] : null) as Field | null;
  const params = (i as { params?: { reason?: Reason; box?: number } }).params;
  const reason = (params?.reason ?? 'invalid') as Reason;
  // Every rule above has a sentence of its own; should a library message still get here, it is not shown as is.
  const error = /^(Invalid|Too (big|small)|Expected|Unrecognized)\b/.test(i.message) ? `The ${field ?? 'request'} field is not in the expected form.` : i.message;
  return { field, reason, error, ...(typeof params?.box === 'number' ? { box: params.box } : {}) };
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
        error: { field: 'pasted', reason: 'too-big', box: i, error: `Paste ${i + 1} (${p.name || 'a file'}) is ${sizeOverLimit(p.size, LIMITS.maxPasteBytes)} per paste. Send only the output of the listed commands.` },
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
    cloud: text('cloud'),
    graph: text('graph'),
    correlationId: text('correlationId'),
    userCertificate: text('userCertificate'),
    pasted,
    pastedNode: form.getAll('pastedNode').map((n) => (typeof n === 'string' ? n : '')),
  };
  const r = await submissionSchema.safeParseAsync(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: firstIssue(r.error.issues) };
}

// ---- rate limit -------------------------------------------------------------------------------------------

/**
 * Sliding-window counter per client address, in memory (SQLite mode: one process); PostgreSQL mode counts in the
 * database instead (spend).
 */
export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Whether one more attempt would be allowed, without counting it. */
  check(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    if (this.limit <= 0) return { ok: true };
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length) this.hits.set(key, recent);
    else this.hits.delete(key);
    return recent.length >= this.limit ? { ok: false, retryAfter: Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) } : { ok: true };
  }

  /** Counts one attempt; returns the seconds to wait when over the limit. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    const c = this.check(key, now);
    if (!c.ok || this.limit <= 0) return c;
    const recent = this.hits.get(key) ?? [];
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
const REFUSAL_LIMITER_KEY = Symbol.for('cba-doctor.refusal-limiter');
/** Refused submissions have their own budget, this many times the report budget: a typo costs no report. */
export const REFUSAL_FACTOR = 10;
function reportLimit(): number {
  // CBA_DOCTOR_RATE_LIMIT: reports per client per 10 minutes (0 turns the limit off).
  const n = Number(process.env.CBA_DOCTOR_RATE_LIMIT ?? '30');
  return Number.isFinite(n) ? n : 30;
}
function limiter(): RateLimiter {
  const g = globalThis as { [LIMITER_KEY]?: RateLimiter };
  g[LIMITER_KEY] ??= new RateLimiter(reportLimit(), 10 * 60_000);
  return g[LIMITER_KEY];
}
function refusalLimiter(): RateLimiter {
  const g = globalThis as { [REFUSAL_LIMITER_KEY]?: RateLimiter };
  g[REFUSAL_LIMITER_KEY] ??= new RateLimiter(reportLimit() * REFUSAL_FACTOR, 10 * 60_000);
  return g[REFUSAL_LIMITER_KEY];
}

type Budget = { ok: true } | { ok: false; retryAfter: number };

/**
 * A client's budget on `which` limiter: in the shared store when it has one (PostgreSQL, several instances, so the
 * limit holds for the whole deployment), else in this process's memory. `count` spends one attempt.
 */
async function spend(which: 'report' | 'refusal', client: string, store: ReportStore, count: boolean): Promise<Budget> {
  const l = which === 'report' ? limiter() : refusalLimiter();
  if (l.limit <= 0) return { ok: true };
  if (store.takeHit) return store.takeHit(`${which}:${client}`, { limit: l.limit, windowMs: l.windowMs, now: Date.now(), count });
  return count ? l.take(client) : l.check(client);
}

/** The client address for rate limiting: the first X-Forwarded-For entry (Next fills it from the socket). */
export function clientKey(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || 'unknown';
}

// ---- creation and background run ---------------------------------------------------------------------------

export function diagnosisContext(target: Target | undefined, env: Record<string, string | undefined> = process.env, cloud?: Cloud): DiagnosisContext {
  return { now: new Date(), requestedTarget: target, offline: false, allowPrivate: allowPrivateFromEnv(env), timeoutMs: 10_000, ...(cloud ? { cloud } : {}) };
}

export function diagnosisInput(s: Submission): DiagnosisInput {
  return {
    upn: s.upn,
    domain: s.domain,
    federationHost: s.federationHost,
    nodes: s.nodes,
    tlsClientPort: s.tlsClientPort,
    userCertificate: s.userCertificate,
    files: s.certificates.map((c) => ({ name: c.name, bytes: c.bytes })),
    crlFiles: [],
    pasted: s.pasteBoxes,
    ...(s.graph ? { graph: s.correlationId ? { correlationId: s.correlationId } : {} } : {}),
  };
}

export type CreateResult =
  | { ok: true; id: string; deleteToken: string }
  | { ok: false; status: 400 | 403 | 429; error: FieldError; retryAfter?: number };

// The in-process queue, the final write and the watchdog live in jobs.ts; re-exported for existing callers.
export { Gate, runningDiagnoses } from './jobs';

export async function startDiagnosis(s: Submission, store: ReportStore, extra: Pick<DiagnosisInput, 'device'> = {}): Promise<{ id: string; deleteToken: string }> {
  const id = newReportId();
  const deleteToken = newDeleteToken();
  const input = { ...diagnosisInput(s), ...extra };
  const ctx = diagnosisContext(s.target, process.env, s.cloud);
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
  await dispatch({ id, createdAt: now, input, ctx }, store, () => store.create(initial, deleteToken));
  return { id, deleteToken };
}

/** Validates a submission and starts its diagnosis. Nothing is stored when the request is refused. */
const limited = (retryAfter: number, error: string): CreateResult => ({ ok: false, status: 429, retryAfter, error: { field: null, reason: 'rate-limit', error } });
const tooMany = (retryAfter: number) => limited(retryAfter, `Too many reports from this address; try again in ${retryAfter} seconds.`);

/** The refusal a client gets before its input is even read: a spent report or refusal budget, or a full queue. */
async function admission(client: string, store: ReportStore): Promise<CreateResult | undefined> {
  const rl = await spend('report', client, store, false);
  if (!rl.ok) return tooMany(rl.retryAfter);
  const refused = await spend('refusal', client, store, false);
  if (!refused.ok) return limited(refused.retryAfter, `Too many refused submissions from this address; correct the input and try again in ${refused.retryAfter} seconds.`);
  if (gate().busy)
    return { ok: false, status: 429, retryAfter: 30, error: { field: null, reason: 'busy', error: 'The server is running as many diagnoses as it can right now; try again in 30 seconds.' } };
  return undefined;
}

export async function createReport(form: FormData, client: string, given?: ReportStore): Promise<CreateResult> {
  const store = given ?? (await getStore());
  // Only accepted submissions count against the report budget; refusals (400) count against their own, larger one,
  // which still keeps a client from making the server validate bad input without end.
  const closed = await admission(client, store);
  if (closed) return closed;
  const parsed = await parseSubmission(form);
  if (!parsed.ok) {
    await spend('refusal', client, store, true);
    return { ok: false, status: 400, error: parsed.error };
  }
  if (parsed.value.graph) {
    const live = liveLookupForPortal();
    if (!live.allowed) {
      await spend('refusal', client, store, true);
      return { ok: false, status: 403, error: { field: 'graph', reason: 'forbidden', error: live.reason } };
    }
  }
  // Counted now: concurrent submissions validated at the same time cannot together pass the budget.
  const taken = await spend('report', client, store, true);
  if (!taken.ok) return tooMany(taken.retryAfter);
  const started = await startDiagnosis(parsed.value, store);
  return { ok: true, ...started };
}

/**
 * The certauth listener's entry (lib/device/listener.ts): the certificates a device presented become the uploaded
 * files, with createReport's rate limit and queue bound and the API's validation of upn, federationHost and target.
 * A device that presented nothing still gets a report (device.cert-offered explains why), so the file-count rule is
 * not applied to an empty answer.
 */
export async function createDeviceReport(
  r: { upn?: string; federationHost?: string; target?: string; files: { name: string; bytes: Uint8Array }[]; device: DeviceInput },
  client: string,
  given?: ReportStore,
): Promise<CreateResult> {
  const store = given ?? (await getStore());
  // The same accounting as createReport: accepted reports count against the report budget, refusals against theirs.
  const closed = await admission(client, store);
  if (closed) return closed;
  const fields = { upn: r.upn?.trim() || undefined, federationHost: r.federationHost?.trim() || undefined, target: r.target?.trim() || undefined };
  const raw = { ...fields, certificates: r.files.map((f) => ({ name: f.name, size: f.bytes.length, bytes: f.bytes })), pasted: [] as string[] };
  let s: Submission;
  if (r.files.length) {
    const parsed = await submissionSchema.safeParseAsync(raw);
    if (!parsed.success) {
      await spend('refusal', client, store, true);
      return { ok: false, status: 400, error: firstIssue(parsed.error.issues) };
    }
    s = parsed.data;
  } else {
    const problem = checkTextFields(fields, serverIsIp)[0];
    if (problem) {
      await spend('refusal', client, store, true);
      return { ok: false, status: 400, error: problem };
    }
    s = submissionSchema.out.parse(raw);
  }
  const taken = await spend('report', client, store, true);
  if (!taken.ok) return tooMany(taken.retryAfter);
  const started = await startDiagnosis(s, store, { device: r.device });
  return { ok: true, ...started };
}

export async function getReport(id: string, store?: ReportStore): Promise<Report | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const r = await (store ?? (await getStore())).get(id);
  return r && settleVerdict(r);
}

/** A report's status and last update, read without its JSON (for conditional GETs); undefined when unknown. */
export async function reportVersion(id: string, store?: ReportStore): Promise<{ status: Report['status']; updatedAt: number } | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  return (store ?? (await getStore())).version(id);
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

/**
 * Reads a multipart request with a hard byte cap, so an oversized upload is refused without buffering it all. The body
 * is parsed as it arrives, chunk by chunk (busboy): parsing a whole 6 MB body at the end in one go held the event
 * loop for tens of milliseconds per upload, and a few uploads arriving together stalled every other request.
 */
export async function readMultipart(req: Request): Promise<{ ok: true; form: FormData } | { ok: false; error: FieldError }> {
  const type = req.headers.get('content-type') ?? '';
  const badRequest = (error: string): { ok: false; error: FieldError } => ({ ok: false, error: { field: null, reason: 'bad-request', error } });
  if (!/^multipart\/form-data\s*;/i.test(type)) return badRequest('Send the submission as multipart/form-data (curl -F certificates=@user.cer -F upn=...).');
  const tooBig = (size: string): FieldError => ({
    field: 'certificates',
    reason: 'too-big',
    error: `The upload is ${size}; the limit is ${exactBytes(MAX_BODY_BYTES)} per request. Certificates are small: upload only the user certificate and its CA certificates (pasted output may add ${limitBytes(LIMITS.maxPastedBytes)}).`,
  });
  const unreadable = 'The multipart body could not be read. Check the Content-Type boundary and the encoding.';
  const declared = Number(req.headers.get('content-length') ?? 'NaN');
  if (declared > MAX_BODY_BYTES) return { ok: false, error: tooBig(exactBytes(declared)) };

  const form = new FormData();
  let parser: busboy.Busboy;
  try {
    // Browsers send UTF-8 file names; the body cap bounds everything, so the per-part limits are that cap.
    parser = busboy({ headers: { 'content-type': type }, defParamCharset: 'utf8', limits: { fieldSize: MAX_BODY_BYTES, fileSize: MAX_BODY_BYTES } });
  } catch {
    return badRequest(unreadable);
  }
  let failed = false;
  const finished = new Promise<void>((resolve) => {
    parser.on('file', (name, stream, info) => {
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c as Uint8Array<ArrayBuffer>));
      stream.on('error', () => (failed = true));
      stream.on('end', () => form.append(name, new File(chunks, info.filename ?? '', { type: info.mimeType })));
    });
    parser.on('field', (name, value) => form.append(name, value));
    parser.on('error', () => {
      failed = true;
      resolve();
    });
    parser.on('close', () => resolve());
  });
  let total = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        parser.destroy();
        return { ok: false, error: tooBig(`more than ${exactBytes(MAX_BODY_BYTES)}`) };
      }
      if (failed) {
        await reader.cancel().catch(() => undefined);
        break;
      }
      parser.write(value);
    }
  }
  parser.end();
  await finished;
  return failed ? badRequest(unreadable) : { ok: true, form };
}
