// The certauth listener with the real service and a real SQLite store: TLS clients on loopback present (or do not
// present) generated certificates, and the reports they produce are read back from the store.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyCas } from '@/test/adfs/standins';
import { MAX_CA_LIST_BYTES } from '@/lib/device/ca-list';
import type { CertauthListener } from '@/lib/device/listener';
import { createCaListSession, SESSION_TTL_MS, sessionFromJson, sessionHost, sessionKey, sessionToJson } from '@/lib/device/sessions';
import { prepareDeviceTest } from './device-test';
import { probeCertificateRequest } from '@/lib/net/tls-certreq';
import { EKU, makeCert, makePki, makeUser, type GenCert, type Pki } from '@/test/pki/gen';
import { startCertauth } from './certauth';
import type { Report } from './schema';
import { runningDiagnoses } from './service';
import { SqliteReportStore } from './store';

// Every request here comes from 127.0.0.1; the per-client limit is tested with the API.
process.env.CBA_DOCTOR_RATE_LIMIT = '0';

const WINDOWS_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

let pki: Pki;
let server: GenCert;
let store: SqliteReportStore;
let listener: CertauthListener;
let proxied: CertauthListener;

const keyPem = (c: GenCert) => c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

beforeAll(async () => {
  pki = await makePki();
  server = await makeCert({ subject: 'CN=localhost', key: 'p256', san: [{ type: 'dns', value: 'localhost' }, { type: 'dns', value: '*.localhost' }], eku: [EKU.serverAuth] });
  store = new SqliteReportStore(':memory:');
  const base = { port: 0, bind: '127.0.0.1', certPem: server.pem, keyPem: keyPem(server), portalUrl: 'http://portal.test' };
  listener = await startCertauth(base, store);
  proxied = await startCertauth({ ...base, trustedProxyHeader: 'x-ssl-client-cert' }, store);
});
afterAll(async () => {
  await listener?.close();
  await proxied?.close();
  await store?.close();
});

interface Answer {
  status: number;
  location?: string;
  body: string;
}

function get(o: { port?: number; path?: string; chain?: GenCert[]; key?: GenCert; servername?: string; headers?: Record<string, string> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: o.port ?? listener.port,
        path: o.path ?? '/certauth',
        servername: o.servername ?? 'localhost',
        rejectUnauthorized: false,
        agent: false,
        // Node sends every certificate of `cert` in order: the leaf, then the intermediates.
        cert: o.chain?.map((c) => c.pem).join(''),
        key: o.key ? keyPem(o.key) : undefined,
        headers: { 'user-agent': WINDOWS_UA, ...o.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function reportOf(a: Answer): Promise<Report> {
  expect(a.status, a.body).toBe(303);
  const m = /^http:\/\/portal\.test\/r\/([A-Za-z0-9_-]{22})#delete-token=[A-Za-z0-9_-]{43}$/.exec(a.location ?? '');
  expect(m, a.location).not.toBeNull();
  await runningDiagnoses().get(m![1]);
  const r = await store.get(m![1]);
  expect(r).toBeDefined();
  return r!;
}

const check = (r: Report, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`${id} missing`);
  return c;
};

describe('certauth listener', () => {
  it('diagnoses the leaf and intermediate a TLS client presents, and redirects to the report', async () => {
    const r = await reportOf(await get({ chain: [pki.user, pki.ca], key: pki.user, path: '/certauth?upn=alice@contoso.com&target=adfs' }));
    expect(r.input.source).toBe('device');
    expect(r.input.upn).toBe('alice@contoso.com');
    expect(r.target).toBe('adfs');
    expect(r.input.certificates.map((c) => [c.fileName, c.sha256, c.role])).toEqual([
      ['device-1.cer', pki.user.cert.sha256, 'user'],
      ['device-2.cer', pki.ca.cert.sha256, 'intermediate'],
    ]);
    const offered = check(r, 'device.cert-offered');
    expect(offered.status).toBe('pass');
    expect(offered.summary).toContain(pki.user.cert.subject.display);
    expect(offered.evidence).toMatchObject({ via: 'tls-handshake', answered: true, presented: 2, tlsVersion: 'TLSv1.2', platform: 'windows', browser: 'Edge', caList: { names: [] } });
    const sent = check(r, 'device.chain-sent');
    expect(sent.status).toBe('info');
    expect(sent.evidence).toMatchObject({ sent: 2, intermediates: 1 });
    expect((sent.evidence.chain as { subject: string }[]).map((c) => c.subject)).toEqual([pki.user.cert.subject.display, pki.ca.cert.subject.display]);
    // The rest of the diagnosis ran on the presented certificate, as if uploaded.
    expect(check(r, 'cert.user').status).toBe('pass');
    expect(check(r, 'cert.san-upn').status).toBe('pass');
    expect(check(r, 'chain.build').status).not.toBe('skip');
  });

  it('reads only what the client sent: a leaf alone is one certificate, whatever the server trusts', async () => {
    const session = createCaListSession([pki.ca.cert, pki.root.cert], 'uploaded');
    expect(session.ok).toBe(true);
    if (!session.ok) return;
    // The session context trusts ca and root, so Node's own chain view would add them; the capture does not.
    const r = await reportOf(await get({ chain: [pki.user], key: pki.user, servername: sessionHost(session.session.token, 'localhost') }));
    expect(check(r, 'device.chain-sent').evidence).toMatchObject({ sent: 1, intermediates: 0 });
    expect(check(r, 'device.cert-offered').evidence).toMatchObject({ caList: { names: [pki.ca.cert.subject.display, pki.root.cert.subject.display], source: 'uploaded' } });
  });

  it('fails device.cert-offered with platform guidance when no certificate is presented', async () => {
    const r = await reportOf(await get({}));
    const c = check(r, 'device.cert-offered');
    expect(c.status).toBe('fail');
    expect(c.evidence).toMatchObject({ answered: true, presented: 0, platform: 'windows' });
    expect(c.summary).toMatch(/no certificate/);
    const text = c.remediation.map((x) => `${x.text} ${x.command ?? ''}`).join('\n');
    expect(text).toContain('Cert:\\CurrentUser\\My');
    expect(text).toContain('AADSTS90100');
    expect(check(r, 'device.chain-sent').status).toBe('skip');
    expect(r.input.certificates).toEqual([]);
    expect(r.input.source).toBe('device');
  });

  it('gives macOS guidance to a Mac', async () => {
    const r = await reportOf(await get({ headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' } }));
    const c = check(r, 'device.cert-offered');
    expect(c.evidence).toMatchObject({ platform: 'macos', browser: 'Safari' });
    expect(c.remediation[0].command).toBe('security find-identity -v -p ssl-client');
  });

  it('ignores a client-certificate header unless the deployment names it as trusted', async () => {
    const header = { 'x-ssl-client-cert': encodeURIComponent(pki.user.pem) };
    const untrusted = await reportOf(await get({ headers: header }));
    const c = check(untrusted, 'device.cert-offered');
    expect(c.status).toBe('fail');
    expect(c.evidence).toMatchObject({ via: 'tls-handshake', presented: 0 });
    expect((c.evidence.notes as string[]).join(' ')).toMatch(/x-ssl-client-cert.*ignored/);
    expect(untrusted.input.certificates).toEqual([]);

    const trusted = await reportOf(await get({ port: proxied.port, headers: header }));
    const t = check(trusted, 'device.cert-offered');
    expect(t.status).toBe('pass');
    expect(t.evidence).toMatchObject({ via: 'proxy-header', presented: 1 });
    expect(trusted.input.certificates[0].sha256).toBe(pki.user.cert.sha256);
  });

  it('refuses an invalid sign-in address with the API message and stores nothing', async () => {
    const before = await countReports();
    const a = await get({ chain: [pki.user], key: pki.user, path: '/certauth?upn=not-an-address' });
    expect(a.status).toBe(400);
    expect(a.body).toMatch(/sign-in address|UPN|@/i);
    expect(await countReports()).toBe(before);
  });

  it('answers 404 off /certauth and 410 for an expired CA-list name', async () => {
    expect((await get({ path: '/' })).status).toBe(404);
    expect((await get({ servername: `ca-${'0'.repeat(32)}.localhost` })).status).toBe(410);
  });

  it('gives each of 20 simultaneous handshakes its own report', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => makeUser(pki, { subject: `CN=Device User ${i}, O=Contoso`, key: 'p256' })));
    const reports = await Promise.all(users.map((u) => get({ chain: [u], key: u }).then(reportOf)));
    expect(new Set(reports.map((r) => r.id)).size).toBe(20);
    reports.forEach((r, i) => expect(r.input.certificates[0].sha256).toBe(users[i].cert.sha256));
  });
});

describe('CA list in the CertificateRequest', () => {
  const probe = (servername: string) => probeCertificateRequest({ address: '127.0.0.1', port: listener.port, servername, timeoutMs: 5000, allowPrivate: true });

  it('is empty on the default name', async () => {
    const p = await probe('localhost');
    expect(p).toMatchObject({ ok: true, requested: true, tlsVersion: 'TLSv1.2' });
    expect(p.request!.authorities).toEqual([]);
  });

  it('carries exactly the chosen CA names on the session name', async () => {
    const s = createCaListSession([pki.user.cert, pki.ca.cert, pki.root.cert], 'uploaded');
    if (!s.ok) throw new Error(s.error);
    const p = await probe(sessionHost(s.session.token, 'localhost'));
    expect(p.request!.authorities.map((n) => n.display)).toEqual([pki.ca.cert.subject.display, pki.root.cert.subject.display]);
    expect(p.request!.authoritiesBytes).toBe(s.session.info.bytes);
  });

  it('is asked for by an instance that did not register it, from the shared store', async () => {
    // Registered "elsewhere": this process's own copy is long expired, only the store holds a live one.
    const s = createCaListSession([pki.ca.cert, pki.root.cert], 'uploaded', Date.now() - 2 * SESSION_TTL_MS);
    if (!s.ok) throw new Error(s.error);
    const live = { ...s.session, expires: Date.now() + 60_000 };
    await store.putTransient(sessionKey(live.token), sessionToJson(live), live.expires);
    const name = sessionHost(live.token, 'localhost');
    const p = await probe(name);
    expect(p.request!.authorities.map((n) => n.display)).toEqual([pki.ca.cert.subject.display, pki.root.cert.subject.display]);
    // The request on that name is diagnosed (not "expired"), and the report names the list that was asked for.
    const r = await reportOf(await get({ chain: [pki.user], key: pki.user, servername: name }));
    expect(r.checks.find((c) => c.id === 'device.cert-offered')?.evidence).toMatchObject({ caList: { source: 'uploaded', names: [pki.ca.cert.subject.display, pki.root.cert.subject.display] } });
  });

  it('is put in the shared store by the form\'s device test, and read back unchanged', async () => {
    const form = new FormData();
    form.append('upn', 'alice@contoso.com');
    form.append('caSource', 'uploaded');
    for (const c of [pki.ca, pki.root]) form.append('certificates', new File([new Uint8Array(c.der)], 'ca.cer'));
    const r = await prepareDeviceTest(form, 'portal.test:3000', { CBA_DOCTOR_CERTAUTH_PORT: '4443' }, store);
    if (!r.ok) throw new Error(r.error);
    const token = /^ca-([0-9a-f]{32})\.portal\.test$/.exec(new URL(r.url).hostname)?.[1];
    expect(token).toBeDefined();
    const stored = sessionFromJson((await store.getTransient(sessionKey(token!)))!);
    expect(stored?.info.names).toEqual([pki.ca.cert.subject.display, pki.root.cert.subject.display]);
    expect(sessionFromJson('{"token":"x"}')).toBeUndefined();
  });

  it('is capped at 16 KB, naming what was left out', async () => {
    const filler = await manyCas(100);
    const s = createCaListSession(filler.map((f) => f.cert), 'pasted');
    if (!s.ok) throw new Error(s.error);
    expect(s.session.info.dropped.length).toBeGreaterThan(0);
    const p = await probe(sessionHost(s.session.token, 'localhost'));
    const sent = p.request!;
    expect(sent.authoritiesBytes).toBeLessThanOrEqual(MAX_CA_LIST_BYTES);
    expect(sent.authoritiesBytes).toBe(s.session.info.bytes);
    // One more name would not have fitted.
    expect(sent.authoritiesBytes + 2 + filler[sent.authorities.length].cert.subject.der.length).toBeGreaterThan(MAX_CA_LIST_BYTES);
    expect(sent.authorities.map((n) => n.display)).toEqual(filler.slice(0, sent.authorities.length).map((f) => f.cert.subject.display));
  });
});

async function countReports(): Promise<number> {
  const db = (store as unknown as { db: { prepare(s: string): { get(): { n: number } } } }).db;
  return db.prepare('SELECT count(*) AS n FROM reports').get().n;
}
