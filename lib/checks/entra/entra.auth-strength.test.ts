import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificatePolicies, PolicyInformation } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, makeUser, type GenCert, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { json, methodGraph, methodPowerShell, psJson } from '@/test/entra/fixtures';

const ID = 'entra.auth-strength';
const POLICY = '1.3.6.1.4.1.311.21.8.99.1';
let pki: Pki;
let withPolicy: GenCert;
beforeAll(async () => {
  pki = await makePki();
  const der = new Uint8Array(AsnConvert.serialize(new CertificatePolicies([new PolicyInformation({ policyIdentifier: POLICY })])));
  withPolicy = await makeUser(pki, { extensions: [{ oid: '2.5.29.32', der }] });
});
const judge = async (user: GenCert, pastes: string[]) => check(await diagnoseEntra({ certs: [user, pki.ca, pki.root], pastes, ids: [ID] }), ID);
const rule = (type: string, identifier: string, mode: string, affinity?: string) => ({ x509CertificateRuleType: type, identifier, x509CertificateAuthenticationMode: mode, ...(affinity ? { x509CertificateRequiredAffinityLevel: affinity } : {}) });

describe('entra.auth-strength', () => {
  it('a policy OID rule makes the certificate multifactor with high affinity, over the single-factor default', async () => {
    const m = { defaultMode: 'x509CertificateSingleFactor' as const, rules: [rule('policyOID', POLICY, 'x509CertificateMultiFactor', 'high')] };
    for (const paste of [json(methodGraph(m)), psJson(methodPowerShell(m))]) {
      const r = await judge(withPolicy, [paste]);
      expect(r.status).toBe('pass');
      expect(r.evidence).toMatchObject({ mode: 'multiFactor', modeFrom: 'rule', requiredAffinity: 'high', policyOids: [POLICY] });
    }
  });

  it('the policy OID rule wins over an issuer rule that matches too', async () => {
    const m = { rules: [rule('issuerSubject', pki.ca.subject, 'x509CertificateSingleFactor'), rule('policyOID', POLICY, 'x509CertificateMultiFactor')] };
    const r = await judge(withPolicy, [json(methodGraph(m))]);
    expect(r.evidence).toMatchObject({ mode: 'multiFactor' });
    const r2 = await judge(pki.user, [json(methodGraph(m))]);
    expect(r2.evidence).toMatchObject({ mode: 'singleFactor', modeFrom: 'rule' });
    expect(r2.status).toBe('info');
    expect(r2.summary).toContain('does not satisfy a Conditional Access policy that requires MFA');
  });

  it('warns about a policy OID rule that is not in dotted form', async () => {
    const r = await judge(withPolicy, [json(methodGraph({ rules: [rule('policyOID', 'Contoso Smart Card Policy', 'x509CertificateMultiFactor')] }))]);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('is not in dotted form');
  });
});
