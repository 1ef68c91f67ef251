import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EKU, makeCert } from '@/test/pki/gen';
import { closedPort, hang, redirect, serve, startLoopback, trickle, type Loopback } from '@/test/net/loopback';
import { guardedFetch } from './http';

const body = new Uint8Array(Array.from({ length: 5000 }, (_, i) => i % 251));
let srv: Loopback;
const open = { allowPrivate: true, timeoutMs: 5000 };

beforeAll(async () => {
  srv = await startLoopback({
    '/good.crl': serve(body),
    '/missing.crl': serve('no such file', 'text/plain', 404),
    '/forbidden.crl': serve('denied by policy', 'text/html', 403),
    '/hang.crl': hang,
    '/slow.crl': trickle(body, 50, 40),
    '/chunked-big.crl': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      const piece = Buffer.alloc(16 * 1024, 7);
      let n = 0;
      const pump = () => {
        while (n < 64) {
          n++;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
    '/declared-big.crl': (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
    },
    '/reset.crl': (_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000), () => res.socket?.destroy());
    },
    '/host-echo': (req, res) => res.writeHead(200).end(req.headers.host),
    '/r1': redirect('/r2', 301),
    '/r2': redirect('/r3', 307),
    '/r3': redirect('/good.crl', 308),
    '/r0': redirect('/r1'),
    '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
    '/to-metadata-v6': redirect('http://[fd00:ec2::254]/latest/'),
    '/to-file': redirect('file:///etc/passwd'),
    '/to-ldap': redirect('ldap://dc1.contoso.com/CN=Contoso,CN=CDP?certificateRevocationList'),
  });
});
afterAll(() => srv.close());

describe('guardedFetch', () => {
  it('downloads a body and measures it', async () => {
    const { record, body: got } = await guardedFetch(srv.url('/good.crl'), open);
    expect(record.error).toBeUndefined();
    expect(record.ok).toBe(true);
    expect(record.httpStatus).toBe(200);
    expect(record.contentType).toBe('application/pkix-crl');
    expect(record.bytes).toBe(body.length);
    expect(record.declaredBytes).toBe(body.length);
    expect(record.address).toBe('127.0.0.1');
    expect(record.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(record.totalMs).toBeGreaterThanOrEqual(record.ttfbMs!);
    expect(Buffer.from(got!).equals(Buffer.from(body))).toBe(true);
  });

  it('refuses loopback by default and never connects', async () => {
    const before = srv.hits.length;
    const { record, body: got } = await guardedFetch(srv.url('/good.crl'), { allowPrivate: false });
    expect(record.ok).toBe(false);
    expect(record.error?.kind).toBe('blocked');
    expect(record.error?.message).toMatch(/127\.0\.0\.1.*loopback/);
    expect(got).toBeUndefined();
    expect(srv.hits.length).toBe(before);
  });

  it.each(['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::1]', '[::]', '0.0.0.0', 'localhost'])(
    'refuses http://%s/ by default',
    async (host) => {
      const before = srv.hits.length;
      const { record } = await guardedFetch(`http://${host}:${srv.port}/good.crl`, { allowPrivate: false });
      expect(record.error?.kind).toBe('blocked');
      expect(srv.hits.length).toBe(before);
    },
  );

  it('decimal, octal and hex spellings really mean loopback (they reach the server when allowed)', async () => {
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1']) {
      const { record } = await guardedFetch(`http://${host}:${srv.port}/good.crl`, open);
      expect(record.ok).toBe(true);
    }
  });

  it('connects to the --resolve address without a DNS lookup and sends the name as Host', async () => {
    const { record, body: got } = await guardedFetch(`http://crl.contoso.test:${srv.port}/host-echo`, { ...open, resolve: { 'crl.contoso.test': '127.0.0.1' } });
    expect(record.ok).toBe(true);
    expect(record.address).toBe('127.0.0.1');
    expect(Buffer.from(got!).toString()).toBe(`crl.contoso.test:${srv.port}`);
  });

  it('reports HTTP errors with their status', async () => {
    const nf = await guardedFetch(srv.url('/missing.crl'), open);
    expect(nf.record).toMatchObject({ ok: false, httpStatus: 404, error: { kind: 'http' } });
    expect(nf.body).toBeUndefined();
    const fb = await guardedFetch(srv.url('/forbidden.crl'), open);
    expect(fb.record).toMatchObject({ ok: false, httpStatus: 403, error: { kind: 'http' } });
    expect(fb.record.error?.message).toMatch(/firewall/);
  });

  it('times out a server that never answers', async () => {
    const { record } = await guardedFetch(srv.url('/hang.crl'), { ...open, timeoutMs: 300 });
    expect(record.error?.kind).toBe('timeout');
    expect(record.timeoutMs).toBe(300);
    expect(record.ttfbMs).toBeUndefined();
  });

  it('stops a download that trickles past the time limit, keeping what it measured', async () => {
    const { record, body: got } = await guardedFetch(srv.url('/slow.crl'), { ...open, timeoutMs: 400 });
    expect(record.error?.kind).toBe('timeout');
    expect(record.ttfbMs).toBeDefined();
    expect(record.bytes).toBeGreaterThan(0);
    expect(record.bytes).toBeLessThan(body.length);
    expect(got).toBeUndefined();
  });

  it('stops a body over the byte limit (no Content-Length)', async () => {
    const { record } = await guardedFetch(srv.url('/chunked-big.crl'), { ...open, maxBytes: 100 * 1024 });
    expect(record.error?.kind).toBe('too-big');
    expect(record.bytes).toBeGreaterThan(100 * 1024);
    expect(record.bytes).toBeLessThan(1024 * 1024);
    const whole = await guardedFetch(srv.url('/chunked-big.crl'), open);
    expect(whole.record.bytes).toBe(1024 * 1024);
  });

  it('refuses an announced body over the byte limit without downloading it', async () => {
    const { record } = await guardedFetch(srv.url('/declared-big.crl'), { ...open, maxBytes: 1024 * 1024 });
    expect(record.error?.kind).toBe('too-big');
    expect(record.declaredBytes).toBe(50 * 1024 * 1024);
    expect(record.bytes).toBe(0);
  });

  it('reports a connection closed mid-body', async () => {
    const { record } = await guardedFetch(srv.url('/reset.crl'), open);
    expect(record.ok).toBe(false);
    expect(record.error?.kind).toBe('reset');
  });

  it('reports connection refused', async () => {
    const port = await closedPort();
    const { record } = await guardedFetch(`http://127.0.0.1:${port}/x.crl`, open);
    expect(record.error?.kind).toBe('refused');
  });

  it('follows up to three redirects and records them', async () => {
    const { record } = await guardedFetch(srv.url('/r1'), open);
    expect(record.ok).toBe(true);
    expect(record.redirects).toEqual([srv.url('/r2'), srv.url('/r3'), srv.url('/good.crl')]);
    expect(record.finalUrl).toBe(srv.url('/good.crl'));
    expect(record.bytes).toBe(body.length);
  });

  it('refuses a fourth redirect', async () => {
    const { record } = await guardedFetch(srv.url('/r0'), open);
    expect(record.ok).toBe(false);
    expect(record.error?.kind).toBe('http');
    expect(record.error?.message).toMatch(/more than 3 redirects/);
  });

  it('re-checks every redirect hop against the policy', async () => {
    for (const p of ['/to-metadata', '/to-metadata-v6']) {
      const { record } = await guardedFetch(srv.url(p), open);
      expect(record.error?.kind).toBe('blocked');
      expect(record.error?.message).toMatch(/metadata/);
      expect(record.redirects).toHaveLength(1);
    }
    for (const p of ['/to-file', '/to-ldap']) {
      const { record } = await guardedFetch(srv.url(p), open);
      expect(record.error?.kind).toBe('blocked');
      expect(record.error?.message).toMatch(/only http and https/);
    }
  });

  it('never fetches ldap: or file: URLs', async () => {
    for (const u of ['ldap:///CN=Contoso%20CA,CN=CDP?certificateRevocationList', 'file:///etc/passwd', 'ftp://127.0.0.1/x.crl']) {
      const { record } = await guardedFetch(u, open);
      expect(record.error?.kind).toBe('blocked');
      expect(record.bytes).toBe(0);
    }
  });

  it('reports a malformed URL', async () => {
    const { record } = await guardedFetch('http://', open);
    expect(record.error?.kind).toBe('url');
  });

  it('streams chunks to onChunk and can drop the body', async () => {
    let seen = 0;
    const { record, body: got } = await guardedFetch(srv.url('/good.crl'), { ...open, keepBody: false, onChunk: (c) => (seen += c.length) });
    expect(record.ok).toBe(true);
    expect(seen).toBe(body.length);
    expect(got).toBeUndefined();
  });
});

describe('guardedFetch over HTTPS', () => {
  let tls: Loopback;
  let caPem: string;
  beforeAll(async () => {
    const c = await makeCert({
      subject: 'CN=localhost',
      san: [
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
      eku: [EKU.serverAuth],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      basicConstraints: { ca: false },
    });
    caPem = c.pem;
    tls = await startLoopback({ '/good.crl': serve(body) }, { key: c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: c.pem });
  });
  afterAll(() => tls.close());

  it('fetches over TLS with SNI set to the name', async () => {
    const { record } = await guardedFetch(tls.url('/good.crl'), { ...open, ca: caPem });
    expect(record.error).toBeUndefined();
    expect(record.bytes).toBe(body.length);
  });

  it('reports an untrusted server certificate as a TLS error', async () => {
    const { record } = await guardedFetch(tls.url('/good.crl'), open);
    expect(record.error?.kind).toBe('tls');
  });

  it('reports a name mismatch as a TLS error', async () => {
    const { record } = await guardedFetch(`https://crl.contoso.test:${tls.port}/good.crl`, { ...open, ca: caPem, resolve: { 'crl.contoso.test': '127.0.0.1' } });
    expect(record.error?.kind).toBe('tls');
  });
});
