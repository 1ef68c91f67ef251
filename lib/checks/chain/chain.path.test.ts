import { describe, expect, it } from 'vitest';
import { days, makePki, type PkiOptions } from '@/test/pki/gen';
import { chainPath } from './chain.path';
import { diagnose, resultOf } from '@/test/checks/chain';

const P256 = { key: 'p256' } as const;
async function run(o: PkiOptions = {}, drop: ('ca' | 'root')[] = []) {
  const pki = await makePki({ ...o, root: { ...P256, ...o.root }, ca: { ...P256, ...o.ca }, user: { ...P256, ...o.user } });
  const certs = [pki.user, ...(drop.includes('ca') ? [] : [pki.ca]), ...(drop.includes('root') ? [] : [pki.root])].map((g) => ({ der: g.der }));
  return { pki, c: resultOf(await diagnose([chainPath], { certs }), 'chain.path') };
}
type Row = { subject: string; status: string; errors: { rule: string }[] };

describe('chain.path', () => {
  it('passes a healthy path', async () => {
    const { c } = await run();
    expect(c.status).toBe('pass');
    expect((c.evidence.certificates as Row[]).map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('fails when the issuer is not a CA, naming the certificate and the rule', async () => {
    const { pki, c } = await run({ ca: { basicConstraints: { ca: false } } });
    expect(c.status).toBe('fail');
    expect(c.summary).toContain(`"${pki.ca.cert.subject.display}" breaks the basic constraints (CA flag) rule`);
    const rows = c.evidence.certificates as Row[];
    expect(rows[1]).toMatchObject({ subject: pki.ca.cert.subject.display, status: 'fail', errors: [{ rule: 'basic-constraints' }] });
    expect(c.remediation.at(-1)?.command).toMatch(/^certutil -verify -urlfetch /);
  });

  it('fails on an expired intermediate with a renewal command', async () => {
    const { c } = await run({ ca: { notBefore: days(-800), notAfter: days(-5) } });
    expect(c.status).toBe('fail');
    expect((c.evidence.errors as { rule: string }[]).map((e) => e.rule)).toEqual(['validity']);
    expect(c.remediation.map((r) => r.command)).toContain('certutil -renewCert ReuseKeys');
  });

  it('fails on a bad signature', async () => {
    const { pki, c } = await run({ user: { badSignature: true } });
    expect(c.status).toBe('fail');
    expect(c.evidence.errors).toMatchObject([{ rule: 'signature', subject: pki.user.cert.subject.display }]);
  });

  it('fails when the path does not reach a root', async () => {
    const { c } = await run({}, ['root']);
    expect(c.status).toBe('fail');
    expect(c.evidence.errors).toMatchObject([{ rule: 'trust-anchor' }]);
  });
});
