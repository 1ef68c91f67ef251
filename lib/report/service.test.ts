import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createReport, deleteReport, getReport, ID_PATTERN, parseSubmission, RateLimiter, readMultipart, REFUSAL_FACTOR, runningDiagnoses, MAX_BODY_BYTES } from './service';
import { SqliteReportStore } from './store';
import { reportSchema, summarize } from './schema';
import { LIMITS } from './submission';

let dir: string;
let certPem: Buffer;
let certDer: Buffer;
let keyPem: Buffer;
let pfx: Buffer;
let csrPem: Buffer;
let store: SqliteReportStore;
let dbFile: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-service-'));
  const p = (f: string) => path.join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('k.pem'), '-out', p('c.pem'), '-subj', '/CN=Alice', '-days', '30',
    '-addext', 'subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@contoso.com');
  ossl('x509', '-in', p('c.pem'), '-outform', 'DER', '-out', p('c.der'));
  ossl('pkcs12', '-export', '-in', p('c.pem'), '-inkey', p('k.pem'), '-out', p('x.pfx'), '-passout', 'pass:pw');
  certPem = readFileSync(p('c.pem'));
  certDer = readFileSync(p('c.der'));
  keyPem = readFileSync(p('k.pem'));
  pfx = readFileSync(p('x.pfx'));
  ossl('req', '-new', '-key', p('k.pem'), '-subj', '/CN=Alice', '-out', p('r.csr'));
  csrPem = readFileSync(p('r.csr'));
  dbFile = p('db/reports.db');
  store = new SqliteReportStore(dbFile);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function form(files: [string, Buffer | Uint8Array][], fields: Record<string, string | string[]> = {}) {
  const f = new FormData();
  for (const [name, bytes] of files) f.append('certificates', new File([new Uint8Array(bytes)], name));
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f;
}

function rowCount() {
  const db = new Database(dbFile, { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  db.close();
  return n;
}

describe('parseSubmission', () => {
  it('accepts certificates and normalises the text fields', async () => {
    const r = await parseSubmission(
      form([['user.cer', certDer], ['user.pem', certPem]], {
        upn: ' alice@Contoso.com ',
        federationHost: 'STS.contoso.com.',
        nodes: '10.0.0.5, 10.0.0.6 adfs1.contoso.com',
        tlsClientPort: '49443',
        target: 'adfs',
        cloud: 'usgov',
        userCertificate: ' 1 ',
        pasted: ['PromptLoginBehavior : Disabled', '   '],
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.upn).toBe('alice@Contoso.com');
    expect(r.value.domain).toBe('contoso.com');
    expect(r.value.federationHost).toBe('sts.contoso.com');
    expect(r.value.nodes).toEqual(['10.0.0.5', '10.0.0.6', 'adfs1.contoso.com']);
    expect(r.value.tlsClientPort).toBe(49443);
    expect(r.value.target).toBe('adfs');
    expect(r.value.cloud).toBe('usgov');
    expect(r.value.userCertificate).toBe('1');
    expect(r.value.pasteBoxes).toEqual([{ name: 'paste 1', text: 'PromptLoginBehavior : Disabled' }]);
    expect(r.value.certificates.map((c) => c.size)).toEqual([certDer.length, certPem.length]);
  });

  const refusals: [string, () => FormData, string, string][] = [
    ['no file', () => form([]), 'certificates', 'required'],
    ['a PFX, even renamed', () => form([['user.cer', pfx]]), 'certificates', 'pkcs12'],
    ['a PFX by name', () => form([['user.pfx', certDer]]), 'certificates', 'pkcs12'],
    ['a PEM private key', () => form([['user.pem', Buffer.concat([certPem, keyPem])]]), 'certificates', 'private-key'],
    ['an oversized file', () => form([['big.cer', Buffer.alloc(LIMITS.maxFileBytes + 1, 0x41)]]), 'certificates', 'too-big'],
    ['too many files', () => form(Array.from({ length: LIMITS.maxFiles + 1 }, (_, i) => [`c${i}.cer`, certDer] as [string, Buffer])), 'certificates', 'too-many'],
    ['a bad address', () => form([['u.cer', certDer]], { upn: 'alice' }), 'upn', 'invalid'],
    ['a URL as host', () => form([['u.cer', certDer]], { federationHost: 'https://sts.contoso.com/adfs' }), 'federationHost', 'invalid'],
    ['a bad host', () => form([['u.cer', certDer]], { federationHost: 'sts_contoso' }), 'federationHost', 'invalid'],
    ['a bad node', () => form([['u.cer', certDer]], { nodes: '10.0.0.300' }), 'nodes', 'invalid'],
    ['a bad port', () => form([['u.cer', certDer]], { tlsClientPort: '70000' }), 'tlsClientPort', 'invalid'],
    ['a bad target', () => form([['u.cer', certDer]], { target: 'okta' }), 'target', 'invalid'],
    ['a bad cloud', () => form([['u.cer', certDer]], { cloud: 'china' }), 'cloud', 'invalid'],
    ['a user certificate that is neither an index nor a thumbprint', () => form([['u.cer', certDer]], { userCertificate: 'alice.cer' }), 'userCertificate', 'invalid'],
    ['a key in pasted text', () => form([['u.cer', certDer]], { pasted: keyPem.toString() }), 'pasted', 'private-key'],
  ];
  for (const [what, make, field, reason] of refusals) {
    it(`refuses ${what} naming ${field} (${reason})`, async () => {
      const r = await parseSubmission(make());
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.field).toBe(field);
      expect(r.error.reason).toBe(reason);
      expect(r.error.error.length).toBeGreaterThan(10);
    });
  }
});

describe('createReport', () => {
  it('stores a running report, runs the diagnosis in the background and completes it', async () => {
    const before = rowCount();
    const r = await createReport(form([['user.cer', certDer]], { upn: 'alice@contoso.com' }), 'client-a', store);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.id).toMatch(ID_PATTERN);
    expect(r.deleteToken.length).toBeGreaterThanOrEqual(43);
    expect(rowCount()).toBe(before + 1);
    await runningDiagnoses().get(r.id);
    const rep = await getReport(r.id, store);
    expect(reportSchema.safeParse(rep).success).toBe(true);
    expect(rep!.status).toBe('complete');
    expect(rep!.input.upn).toBe('alice@contoso.com');
    expect(rep!.input.certificates).toHaveLength(1);
    expect(rep!.checks.find((c) => c.id === 'input.files')?.status).toBe('pass');

    expect(await deleteReport(r.id, 'not-the-token', store)).toBe('forbidden');
    expect(await deleteReport(r.id, r.deleteToken, store)).toBe('deleted');
    expect(await getReport(r.id, store)).toBeUndefined();
    expect(await getReport('../../etc/passwd', store)).toBeUndefined();
  });

  it('stores nothing for a refused request', async () => {
    const before = rowCount();
    const r = await createReport(form([['alice.pfx', pfx]]), 'client-b', store);
    expect(r).toMatchObject({ ok: false, status: 400, error: { field: 'certificates', reason: 'pkcs12' } });
    expect(rowCount()).toBe(before);
  });
});

describe('refusals', () => {
  it('are exact about sizes: bytes with separators, never "1.0 MB ... at most 1.0 MB"', async () => {
    const r = await parseSubmission(form([['big.cer', Buffer.alloc(LIMITS.maxFileBytes + 1, 0x41)]]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.error).toBe('big.cer is 1,048,577 bytes; the limit is 1,048,576 bytes (1 MB) per file. Upload single certificates, not a whole store.');
  });

  it('never show a library message (an over-long text field gets a sentence of ours)', async () => {
    for (const field of ['upn', 'federationHost', 'nodes', 'tlsClientPort', 'target']) {
      const r = await parseSubmission(form([['u.cer', certDer]], { [field]: 'a'.repeat(5000) }));
      expect(r.ok, field).toBe(false);
      if (r.ok) continue;
      expect(r.error.field).toBe(field);
      expect(r.error.error).not.toMatch(/Too big|expected string|<=/);
      expect(r.error.error).toMatch(/is 5,000 characters long; the limit is 4,096 characters\.$/);
    }
  });

  it('refuse control characters and text-direction overrides in the typed fields, without echoing them', async () => {
    const chars = ['\u0000', '\u0007', '\u001b', '\u001f', '\u007f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of chars) {
      const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      for (const [field, value] of [['upn', `ali${c}ce@contoso.com`], ['federationHost', `sts${c}.contoso.com`], ['nodes', `10.0.0.1 adfs${c}.contoso.com`]] as const) {
        const r = await parseSubmission(form([['u.cer', certDer]], { [field]: value }));
        expect(r.ok, `${field} ${code}`).toBe(false);
        if (r.ok) continue;
        expect(r.error).toMatchObject({ field, reason: 'invalid' });
        expect(r.error.error).toContain(code);
        expect(r.error.error).not.toContain(c);
      }
    }
    // Ordinary accents and separators stay accepted.
    expect((await parseSubmission(form([['u.cer', certDer]], { upn: 'zoë@contoso.com', nodes: '10.0.0.1\t10.0.0.2\n' }))).ok).toBe(true);
  });

  it('refuse an upload set with no certificate at all (random bytes, a CSR) and store nothing; one certificate is enough', async () => {
    const before = rowCount();
    for (const files of [[['random.cer', randomBytes(2048)]], [['request.csr', csrPem]], [['a.bin', randomBytes(100)], ['request.pem', csrPem]]] as [string, Buffer][][]) {
      const r = await createReport(form(files, { upn: 'alice@contoso.com' }), 'client-nocert', store);
      expect(r, files.map((f) => f[0]).join()).toMatchObject({ ok: false, status: 400, error: { field: 'certificates', reason: 'invalid' } });
      if (!r.ok) expect(r.error.error).toMatch(/^None of the uploaded files holds a certificate\. /);
    }
    expect(rowCount()).toBe(before);
    const one = await createReport(form([['random.cer', randomBytes(2048)], ['user.cer', certDer]]), 'client-nocert', store);
    expect(one.ok).toBe(true);
    if (one.ok) await runningDiagnoses().get(one.id);
    expect(rowCount()).toBe(before + 1);
  });

  it('do not use up the report budget: after many refusals a valid submission is still accepted', async () => {
    const client = 'client-typos';
    for (let i = 0; i < 45; i++) {
      const r = await createReport(form([['u.cer', certDer]], { upn: 'not-an-address' }), client, store);
      expect(r).toMatchObject({ ok: false, status: 400 });
    }
    const ok = await createReport(form([['u.cer', certDer]], { upn: 'alice@contoso.com' }), client, store);
    expect(ok.ok).toBe(true);
    if (ok.ok) await runningDiagnoses().get(ok.id);
  });

  it('have their own, larger budget: past it even refusals are answered 429 without being validated', async () => {
    const client = 'client-flood';
    let first429 = -1;
    for (let i = 0; i < 400 && first429 < 0; i++) {
      const r = await createReport(form([['u.cer', certDer]], { upn: 'bad' }), client, store);
      if (!r.ok && r.status === 429) first429 = i;
    }
    expect(first429).toBe(30 * REFUSAL_FACTOR);
    const r = await createReport(form([['u.cer', certDer]], { upn: 'alice@contoso.com' }), client, store);
    expect(r).toMatchObject({ ok: false, status: 429, error: { reason: 'rate-limit' } });
    if (!r.ok) expect(r.error.error).toMatch(/refused submissions/);
  });
});

describe('an interrupted report', () => {
  it('is not a pass: verdict "incomplete" without results, and failures found before the stop stand', async () => {
    const now = new Date().toISOString();
    const base = { schemaVersion: 1 as const, createdAt: now, updatedAt: now, status: 'running' as const, target: 'unknown' as const, input: { certificates: [], pasted: [] } };
    const empty = 'InterruptedEmptyReport';
    const passed = 'InterruptedPassReport1';
    const failed = 'InterruptedFailReport1';
    const check = (id: string, status: 'pass' | 'fail') => ({ id, category: 'input' as const, title: id, status, summary: 's', evidence: {}, remediation: [], durationMs: 1 });
    await store.create({ ...base, id: empty, summary: summarize([]), checks: [] }, 't');
    await store.create({ ...base, id: passed, summary: summarize([check('input.files', 'pass')]), checks: [check('input.files', 'pass')] }, 't');
    await store.create({ ...base, id: failed, summary: summarize([check('input.files', 'fail')]), checks: [check('input.files', 'fail')] }, 't');
    await store.markRunningInterrupted();
    for (const [id, verdict] of [[empty, 'incomplete'], [passed, 'incomplete'], [failed, 'fail']] as const) {
      const r = await getReport(id, store);
      expect(r?.status, id).toBe('interrupted');
      expect(r?.summary.verdict, id).toBe(verdict);
      expect(reportSchema.safeParse(r).success).toBe(true);
    }
    expect(summarize([], 'interrupted').verdict).toBe('incomplete');
    expect(summarize([], 'complete').verdict).toBe('pass');
  });
});

describe('RateLimiter', () => {
  it('allows `limit` attempts per window and per client, then says how long to wait', () => {
    const l = new RateLimiter(2, 60_000);
    expect(l.take('a', 0).ok).toBe(true);
    expect(l.take('a', 1_000).ok).toBe(true);
    expect(l.take('a', 2_000)).toEqual({ ok: false, retryAfter: 58 });
    expect(l.take('b', 2_000).ok).toBe(true);
    expect(l.take('a', 60_001).ok).toBe(true);
    expect(new RateLimiter(0, 1000).take('x').ok).toBe(true);
  });
});

describe('readMultipart', () => {
  it('reads a real multipart body', async () => {
    const req = new Request('http://x/api/reports', { method: 'POST', body: form([['u.cer', certDer]], { upn: 'a@b.com' }) });
    const r = await readMultipart(req);
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.form.get('certificates') as File).size).toBe(certDer.length);
  });

  it('keeps every part as the browser sent it: UTF-8 file names, file order, long text fields, empty file inputs', async () => {
    const f = form([['Zoë ✓.cer', certDer], ['second.pem', Buffer.from('two')]], { upn: 'zoë@contoso.com', pasted: ['x'.repeat(1_200_000), 'short'] });
    f.append('certificates', new File([], ''));
    const r = await readMultipart(new Request('http://x/api/reports', { method: 'POST', body: f }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const files = r.form.getAll('certificates') as File[];
    expect(files.map((x) => [x.name, x.size])).toEqual([['Zoë ✓.cer', certDer.length], ['second.pem', 3], ['', 0]]);
    expect(Buffer.from(await files[0].arrayBuffer()).equals(Buffer.from(certDer))).toBe(true);
    expect(r.form.get('upn')).toBe('zoë@contoso.com');
    expect((r.form.getAll('pasted') as string[]).map((p) => p.length)).toEqual([1_200_000, 5]);
  });

  it('refuses a truncated or garbled body as unreadable', async () => {
    const whole = new Request('http://x/api/reports', { method: 'POST', body: form([['u.cer', certDer]]) });
    const type = whole.headers.get('content-type')!;
    const bytes = Buffer.from(await whole.arrayBuffer());
    const cut = new Request('http://x/api/reports', { method: 'POST', body: bytes.subarray(0, bytes.length - 40), headers: { 'content-type': type } });
    expect(await readMultipart(cut)).toMatchObject({ ok: false, error: { reason: 'bad-request', error: expect.stringContaining('could not be read') } });
    const noBoundary = new Request('http://x/api/reports', { method: 'POST', body: bytes, headers: { 'content-type': 'multipart/form-data; charset=utf-8' } });
    expect(await readMultipart(noBoundary)).toMatchObject({ ok: false, error: { reason: 'bad-request' } });
  });

  it('refuses a body over the cap and a non-multipart body', async () => {
    const big = new Request('http://x/api/reports', { method: 'POST', body: form([['u.cer', Buffer.alloc(MAX_BODY_BYTES + 10)]]) });
    expect(await readMultipart(big)).toMatchObject({ ok: false, error: { field: 'certificates', reason: 'too-big' } });
    const json = new Request('http://x/api/reports', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(await readMultipart(json)).toMatchObject({ ok: false, error: { reason: 'bad-request' } });
  });
});

describe('Gate', () => {
  it('runs at most `concurrency` tasks at once, queues the rest in order, and reports busy when the queue is full', async () => {
    const { Gate } = await import('./service');
    const g = new Gate(2, 1);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<void>((resolve) => {
        active++;
        peak = Math.max(peak, active);
        order.push(n);
        releases.push(() => {
          active--;
          resolve();
        });
      });
    const runs = [1, 2, 3].map((n) => g.run(task(n)));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([1, 2]);
    expect(g.busy).toBe(true);
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([1, 2, 3]);
    expect(g.busy).toBe(false);
    while (releases.length) releases.shift()!();
    await Promise.all(runs);
    expect(peak).toBe(2);
    // A failing task frees its slot too.
    await expect(g.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await g.run(async () => undefined);
  });
});

describe('safeFileName', () => {
  it('keeps ordinary names and neutralises shell syntax, paths and leading dashes', async () => {
    const { safeFileName } = await import('./service');
    expect(safeFileName('Contoso Issuing CA.cer')).toBe('Contoso Issuing CA.cer');
    // PowerShell evaluates a parenthesis inside a bare argument, so parentheses go too.
    expect(safeFileName('user (1).cer')).toBe('user _1_.cer');
    expect(safeFileName("a';calc;$(whoami)`x`.cer")).toBe('a__calc___whoami__x_.cer');
    expect(safeFileName('C:\\Users\\alice\\user.cer')).toBe('user.cer');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('-rf.cer')).toBe('rf.cer');
    expect(safeFileName('&|<>"%.cer')).toBe('______.cer');
    expect(safeFileName('')).toBe('upload.cer');
    expect(safeFileName(undefined)).toBe('upload.cer');
  });
});
