import { beforeAll, describe, expect, it } from 'vitest';
import { AADSTS_CODES } from '@/lib/entra/aadsts';
import { makePki, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { errorPage, json, methodGraph, psJson, signInsGraph, signInsPowerShell } from '@/test/entra/fixtures';

const ID = 'signin.error';
type Ev = { entries: { correlationId: string; timestamp: string; errorCode: number; status: string; meaning: string | null; checks: { id: string; status: string }[] }[] };
let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
const judge = async (pastes: string[]) => check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes, ids: [ID] }), ID);

describe('signin.error', () => {
  it.each(AADSTS_CODES.map((c) => [c.code, c]))('decodes AADSTS%i from the error page, with correlation ID and timestamp', async (code, c) => {
    const r = await judge([errorPage(code, 'Certificate based sign-in failed.')]);
    const e = (r.evidence as Ev).entries[0];
    expect(e).toMatchObject({ errorCode: code, correlationId: 'a1b2c3d4-0000-4000-8000-123456789abc', timestamp: '2026-12-01T09:12:44.118Z', meaning: c.meaning });
    expect(r.summary).toContain(`AADSTS${code}: ${c.meaning}`);
    expect(r.summary).toContain('correlation ID a1b2c3d4-0000-4000-8000-123456789abc');
    expect(e.checks.map((x) => x.id)).toEqual(c.checks);
    // With a healthy certificate and chain and no tenant data, nothing in the report explains the failure.
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('No other check of this report reproduces this failure');
  });

  it('says which check reproduces the failure when one does (AADSTS130501 with the method disabled)', async () => {
    const r = await judge([errorPage(130501, 'The user is not enabled for certificate-based authentication.'), json(methodGraph({ state: 'disabled' }))]);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('This report finds the cause: entra.method (fail)');
  });

  it('reads sign-in log entries in both shapes, success and failure alike', async () => {
    const entries = [
      { code: 0, at: '2026-12-01T09:10:00Z' },
      { code: 2205015, at: '2026-12-01T09:12:44Z', reason: "The CRL's AKI does not match the CA's SKI." },
    ];
    for (const paste of [json(signInsGraph(entries)), psJson(signInsPowerShell(entries))]) {
      const r = await judge([paste]);
      const ev = r.evidence as Ev;
      expect(ev.entries.map((e) => [e.errorCode, e.status, e.timestamp])).toEqual([
        [0, 'pass', '2026-12-01T09:10:00Z'],
        [2205015, 'fail', '2026-12-01T09:12:44Z'],
      ]);
      expect(r.summary).toContain('entra.trust-store');
    }
  });

  it('points to the lookup page for a code outside the CBA list', async () => {
    const r = await judge([errorPage(50058, 'A silent sign-in request was sent but no user is signed in.')]);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('https://login.microsoftonline.com/error?code=50058');
  });

  it('skips with the commands that give the error details', async () => {
    const r = await judge([]);
    expect(r.status).toBe('skip');
    expect(r.summary).toContain("auditLogs/signIns?$filter=correlationId eq '{correlation id}'");
  });
});
