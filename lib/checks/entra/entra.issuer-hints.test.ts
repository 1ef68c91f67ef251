import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { json, methodGraph, pkiStoreGraph } from '@/test/entra/fixtures';

const ID = 'entra.issuer-hints';
let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
const judge = async (pastes: string[]) => check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes, ids: [ID] }), ID);

describe('entra.issuer-hints', () => {
  it('passes hints on with the issuing CA flagged, and counts the names sent', async () => {
    const r = await judge([json(methodGraph({ hints: 'enabled' })), json(pkiStoreGraph([{ cert: pki.root, root: true }, { cert: pki.ca, root: false, hint: true }]))]);
    expect(r.status).toBe('pass');
    expect((r.evidence as { hintBytes: number }).hintBytes).toBe(pki.ca.cert.subject.der.length);
  });

  it('warns when hints are on and the issuing CA is not flagged', async () => {
    const r = await judge([json(methodGraph({ hints: 'enabled' })), json(pkiStoreGraph([{ cert: pki.root, root: true, hint: true }, { cert: pki.ca, root: false, hint: false }]))]);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('is not flagged for issuer hints');
  });

  it('is informational when hints are off', async () => {
    const r = await judge([json(methodGraph({ hints: 'disabled' }))]);
    expect(r.status).toBe('info');
  });
});
