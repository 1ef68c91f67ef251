import { beforeAll, describe, expect, it } from 'vitest';
import { days, makeCrl, makePki, type CrlOptions, type Pki } from '@/test/pki/gen';
import { diagnose, resultOf } from '@/test/checks/chain';
import { crlFreshness } from './crl.freshness';

const P256 = { key: 'p256' } as const;
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: P256 });
});
async function run(caCrl: Partial<CrlOptions>) {
  const crls = [{ der: (await makeCrl({ issuer: pki.ca, ...caCrl })).der, name: 'issuing.crl' }];
  return resultOf(await diagnose([crlFreshness], { certs: [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der })), crls }), 'crl.freshness');
}
type Row = { crl: string; status: string; nextCrlPublish: string | null; crlNumber: string | null; hoursLeft: number | null };

describe('crl.freshness', () => {
  it('passes a current CRL and shows Next CRL Publish and the CRL number', async () => {
    const publish = new Date(Math.floor(days(3).getTime() / 1000) * 1000);
    const c = await run({ nextPublish: publish, crlNumber: 42 });
    expect(c.status).toBe('pass');
    expect((c.evidence.crls as Row[])[0]).toMatchObject({ status: 'pass', nextCrlPublish: publish.toISOString(), crlNumber: '42' });
  });

  it('fails an expired CRL with the publication commands', async () => {
    const c = await run({ thisUpdate: days(-10), nextUpdate: days(-2) });
    expect(c.status).toBe('fail');
    expect(c.summary).toContain('Expired');
    expect(c.remediation[0].command).toBe('certutil -crl');
  });

  it('warns when the CRL expires within 24 hours', async () => {
    const c = await run({ thisUpdate: days(-7), nextUpdate: new Date(Date.now() + 5 * 3_600_000) });
    expect(c.status).toBe('warn');
    expect((c.evidence.crls as Row[])[0].hoursLeft).toBeLessThan(24);
  });

  it('fails a CRL without nextUpdate and one not valid yet', async () => {
    expect((await run({ nextUpdate: null })).status).toBe('fail');
    const future = await run({ thisUpdate: days(2), nextUpdate: days(9) });
    expect(future.status).toBe('fail');
    expect(future.remediation.map((r) => r.command)).toContain('w32tm /query /status');
  });
});
