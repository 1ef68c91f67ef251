import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, manyCas, serverIdentity, startTlsServer, userPki, FED_HOST, type Running, type ServerIdentity } from '@/test/adfs/standins';
import type { Pki } from '@/test/pki/gen';
import { probeCertificateRequest } from './tls-certreq';

let id: ServerIdentity;
let pki: Pki;
const servers: Running[] = [];
const start = async (o: Parameters<typeof startTlsServer>[0]) => {
  const s = await startTlsServer(o);
  servers.push(s);
  return s.port;
};
const probe = (port: number, servername: string | undefined = FED_HOST) =>
  probeCertificateRequest({ address: '127.0.0.1', port, servername, timeoutMs: 5000, allowPrivate: true });

beforeAll(async () => {
  id = await serverIdentity();
  pki = await userPki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('probeCertificateRequest (TLS 1.2 in clear)', () => {
  it('reads every CA name of a real CertificateRequest, in order, with the list size', async () => {
    const port = await start({ id, requestCert: true, clientCas: [pki.root, pki.ca] });
    const r = await probe(port);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.tlsVersion).toBe('TLSv1.2');
    expect(r.method).toBe('tls12-clear');
    expect(r.requested).toBe(true);
    const names = r.request!.authorities.map((a) => a.display);
    expect(names).toEqual([pki.root.cert.subject.display, pki.ca.cert.subject.display]);
    expect(r.request!.authorities[1].key).toBe(pki.ca.cert.subject.key);
    // Each name is its DER plus a 2-byte length.
    const expected = [pki.root, pki.ca].reduce((n, c) => n + 2 + c.cert.subject.der.length, 0);
    expect(r.request!.authoritiesBytes).toBe(expected);
    expect(r.request!.signatureAlgorithms).toContain('ecdsa_secp256r1_sha256');
    expect(r.request!.certificateTypes.length).toBeGreaterThan(0);
  });

  it('sees a request with an empty CA list', async () => {
    const port = await start({ id, requestCert: true });
    const r = await probe(port);
    expect(r.requested).toBe(true);
    expect(r.request!.authorities).toEqual([]);
    expect(r.request!.authoritiesBytes).toBe(0);
  });

  it('says when no client certificate is requested', async () => {
    const port = await start({ id, requestCert: false });
    const r = await probe(port);
    expect(r.ok).toBe(true);
    expect(r.requested).toBe(false);
    expect(r.request).toBeUndefined();
  });

  it('measures a list larger than 16 KB', async () => {
    const cas = await manyCas(90);
    const port = await start({ id, requestCert: true, clientCas: cas });
    const r = await probe(port);
    expect(r.requested).toBe(true);
    expect(r.request!.authorities).toHaveLength(90);
    expect(r.request!.authoritiesBytes).toBeGreaterThan(16 * 1024);
  });

  it('reports a refused port as refused', async () => {
    const r = await probe(await closedPort());
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('refused');
  });

  it('refuses loopback unless private addresses are allowed', async () => {
    const port = await start({ id, requestCert: true });
    const r = await probeCertificateRequest({ address: '127.0.0.1', port, servername: FED_HOST, timeoutMs: 2000, allowPrivate: false });
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('blocked');
  });
});

describe('probeCertificateRequest (TLS 1.3 only)', () => {
  it('decrypts the TLS 1.3 CertificateRequest with the keylog secret and reads its CA names', async () => {
    const port = await start({ id, requestCert: true, clientCas: [pki.root], minVersion: 'TLSv1.3' });
    const r = await probe(port);
    expect(r.error).toBeUndefined();
    expect(r.tlsVersion).toBe('TLSv1.3');
    expect(r.method).toBe('tls13-keylog');
    expect(r.tls12Refusal).toMatch(/protocol_version|closed/);
    expect(r.requested).toBe(true);
    expect(r.request!.authorities.map((a) => a.display)).toEqual([pki.root.cert.subject.display]);
    expect(r.request!.authoritiesBytes).toBe(2 + pki.root.cert.subject.der.length);
  });

  it('reassembles a TLS 1.3 request larger than one record (over 16 KB of CA names)', async () => {
    const cas = await manyCas(90);
    const port = await start({ id, requestCert: true, clientCas: cas, minVersion: 'TLSv1.3' });
    const r = await probe(port);
    expect(r.tlsVersion).toBe('TLSv1.3');
    expect(r.request!.authorities).toHaveLength(90);
    expect(r.request!.authoritiesBytes).toBe(cas.reduce((n, c) => n + 2 + c.cert.subject.der.length, 0));
    expect(r.request!.authoritiesBytes).toBeGreaterThan(16 * 1024);
  });

  it('says when a TLS 1.3 server asks for no certificate', async () => {
    const port = await start({ id, requestCert: false, minVersion: 'TLSv1.3' });
    const r = await probe(port);
    expect(r.tlsVersion).toBe('TLSv1.3');
    expect(r.requested).toBe(false);
  });
});

describe('probeCertificateRequest against something that is not TLS', () => {
  it('names the protocol problem', async () => {
    const http = await import('node:http');
    const s = http.createServer((_q, res) => res.end('hi'));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as import('node:net').AddressInfo).port;
    try {
      const r = await probe(port);
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe('protocol');
      expect(r.error?.message).toMatch(/did not answer in TLS/);
    } finally {
      s.closeAllConnections();
      await new Promise<void>((res) => s.close(() => res()));
    }
  });
});
