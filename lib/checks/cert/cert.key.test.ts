import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, makeUser, type CertOptions, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

type Ev = { key: { algorithm: string; bits: number | null; curve: string | null }; signature: { algorithm: string; hash: string | null }; findings: { status: string; message: string }[] };

async function run(over: Partial<CertOptions>) {
  const user = await makeUser(pki, { key: pki.user.key, ...over });
  const r = result(await diagnose({ certs: [user, pki.ca, pki.root], ids: ['cert.key'] }), 'cert.key');
  return { r, ev: r.evidence as Ev };
}

describe('cert.key', () => {
  it('passes RSA 2048 signed with SHA-256', async () => {
    const { r, ev } = await run({});
    expect(r.status).toBe('pass');
    expect(ev.key).toEqual({ algorithm: 'RSA', bits: 2048, curve: null });
    expect(ev.signature).toMatchObject({ algorithm: 'sha256WithRSAEncryption', hash: 'SHA-256' });
  });

  it('passes ECDSA P-256 and P-384 keys', async () => {
    const p256 = await run({ key: 'p256' });
    expect(p256.r.status).toBe('pass');
    expect(p256.ev.key).toEqual({ algorithm: 'EC', bits: 256, curve: 'P-256' });
    expect((await run({ key: 'p384', hash: 'SHA-384' })).r.status).toBe('pass');
  });

  it('fails a 1024-bit RSA key', async () => {
    const { r, ev } = await run({ key: 'rsa1024' });
    expect(r.status).toBe('fail');
    expect(ev.key.bits).toBe(1024);
    expect(r.summary).toMatch(/RSA 1024 bits; at least 2048/);
    expect(r.remediation[0].text).toMatch(/Minimum key size/);
  });

  it('warns on a SHA-1 signature', async () => {
    const { r, ev } = await run({ hash: 'SHA-1' });
    expect(r.status).toBe('warn');
    expect(ev.signature).toMatchObject({ algorithm: 'sha1WithRSAEncryption', hash: 'SHA-1' });
    expect(r.remediation[0].command).toMatch(/CNGHashAlgorithm SHA256/);
  });

  it('reports both a short key and SHA-1, with the worse status', async () => {
    const { r, ev } = await run({ key: 'rsa1024', hash: 'SHA-1' });
    expect(r.status).toBe('fail');
    expect(ev.findings.map((f) => f.status)).toEqual(['fail', 'warn']);
    expect(r.remediation).toHaveLength(2);
  });

  it('warns on a key type Entra does not list (Ed25519)', async () => {
    const { r, ev } = await run({ key: 'ed25519' });
    expect(r.status).toBe('warn');
    expect(ev.key.algorithm).toBe('Ed25519');
  });
});
