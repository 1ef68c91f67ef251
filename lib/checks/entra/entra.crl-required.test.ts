import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, PKI_URLS, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { json, methodGraph, pkiStoreGraph, type StoreCa } from '@/test/entra/fixtures';

const ID = 'entra.crl-required';
let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
const store = (): StoreCa[] => [
  { cert: pki.root, root: true, crl: PKI_URLS().rootCrl },
  { cert: pki.ca, root: false, crl: null },
];
const judge = async (pastes: string[]) => check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes, ids: [ID] }), ID);

describe('entra.crl-required', () => {
  it('fails when CRL validation is required and the issuing CA has no CRL URL', async () => {
    const r = await judge([json(methodGraph({ crlRequired: true })), json(pkiStoreGraph(store()))]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`${pki.ca.cert.subject.display} has no CRL URL and is not exempted`);
    expect(r.remediation.map((x) => x.command ?? '').join('\n')).toContain(`+ '${pki.ca.ski}'`);
  });

  it('passes when that CA is exempted by its SKI', async () => {
    const r = await judge([json(methodGraph({ crlRequired: true, exempted: [pki.ca.ski.toUpperCase()] })), json(pkiStoreGraph(store()))]);
    expect(r.status).toBe('pass');
  });

  it('passes when CRL validation is not required', async () => {
    const r = await judge([json(methodGraph({ crlRequired: false })), json(pkiStoreGraph(store()))]);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('not required');
  });
});
