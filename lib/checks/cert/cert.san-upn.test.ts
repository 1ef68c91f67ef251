import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, makeUser, type Pki, type SanEntry } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';
import type { Target } from '@/lib/report/schema';
import { routability } from './routable';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const ids = ['cert.san-upn'];
type Ev = {
  sanEntries: { type: string; value: string; oid?: string }[];
  subjectAddresses: string[];
  usedValue: { type: string; value: string } | null;
  matchedBy: string | null;
  routability: { routable: boolean; domain: string; reason?: string } | null;
  problems: { status: string; code: string }[];
};

async function run(san: SanEntry[] | null, o: { upn?: string; domain?: string; subject?: string; target?: Target } = {}) {
  const user = await makeUser(pki, { san, key: pki.user.key, ...(o.subject ? { subject: o.subject } : {}) });
  // The AD FS rules are the ones these tests check, unless a test names another target.
  const r = result(await diagnose({ certs: [user, pki.ca, pki.root], upn: o.upn, domain: o.domain, ids, target: o.target ?? 'adfs' }), 'cert.san-upn');
  return { r, ev: r.evidence as Ev };
}
const codes = (ev: Ev) => ev.problems.map((p) => p.code);

describe('cert.san-upn', () => {
  it.each([
    ['adfs', 'fail'],
    ['entra', 'warn'],
    ['unknown', 'warn'],
  ] as const)('a missing SAN UPN and a non-routable one: %s gives %s (Entra binds users through certificateUserIds)', async (target, want) => {
    const missing = await run([{ type: 'dns', value: 'laptop1.contoso.com' }], { upn: 'alice@contoso.com', target });
    const local = await run([{ type: 'upn', value: 'alice@contoso.local' }], { upn: 'alice@contoso.local', target });
    expect([missing.r.status, local.r.status]).toEqual([want, want]);
    expect(codes(missing.ev)).toEqual(['no-upn-or-rfc822']);
    expect(codes(local.ev)).toEqual(['non-routable']);
    for (const x of [missing, local]) {
      const binding = x.r.remediation.some((m) => /certificateUserIds/.test(m.text) && /username binding/.test(m.text));
      expect(binding).toBe(target !== 'adfs');
    }
  });

  it('passes the healthy certificate: UPN equal to the address (any case) on a routable domain', async () => {
    const { r, ev } = await run([{ type: 'upn', value: 'alice@contoso.com' }], { upn: 'Alice@Contoso.COM' });
    expect(r.status).toBe('pass');
    expect(ev.matchedBy).toBe('upn');
    expect(ev.routability).toMatchObject({ routable: true, domain: 'contoso.com' });
    expect(ev.sanEntries).toEqual([{ type: 'upn', value: 'alice@contoso.com', oid: '1.3.6.1.4.1.311.20.2.3' }]);
  });

  it('fails a SAN with only a DNS name, listing every entry with its type', async () => {
    const { r, ev } = await run([{ type: 'dns', value: 'laptop1.contoso.com' }, { type: 'ip', value: '10.1.2.3' }, { type: 'uri', value: 'https://contoso.com/alice' }], { upn: 'alice@contoso.com' });
    expect(r.status).toBe('fail');
    expect(codes(ev)).toEqual(['no-upn-or-rfc822']);
    expect(ev.sanEntries).toEqual([
      { type: 'dns', value: 'laptop1.contoso.com' },
      { type: 'ip', value: '10.1.2.3' },
      { type: 'uri', value: 'https://contoso.com/alice' },
    ]);
    expect(r.summary).toMatch(/no UPN and no RFC822/);
    expect(r.remediation[0].text).toMatch(/User principal name \(UPN\)/);
  });

  it('fails a UPN on a .local domain as non-routable', async () => {
    const { r, ev } = await run([{ type: 'upn', value: 'alice@contoso.local' }], { upn: 'alice@contoso.local' });
    expect(r.status).toBe('fail');
    expect(codes(ev)).toEqual(['non-routable']);
    expect(ev.matchedBy).toBe('upn');
    expect(ev.routability).toMatchObject({ routable: false, domain: 'contoso.local' });
    expect(r.remediation[0].command).toMatch(/UPNSuffixes/);
  });

  it('warns when the address is only an RFC822 name', async () => {
    const { r, ev } = await run([{ type: 'rfc822', value: 'alice@contoso.com' }], { upn: 'alice@contoso.com' });
    expect(r.status).toBe('warn');
    expect(codes(ev)).toEqual(['rfc822-only']);
    expect(ev.matchedBy).toBe('rfc822');
    expect(ev.sanEntries).toEqual([{ type: 'rfc822', value: 'alice@contoso.com' }]);
    expect(r.summary).toMatch(/proxyAddresses/);
  });

  it('fails when the address is only in the subject', async () => {
    const { r, ev } = await run(null, { upn: 'alice@contoso.com', subject: 'E=alice@contoso.com, CN=Alice Smith, O=Contoso, C=US' });
    expect(r.status).toBe('fail');
    expect(codes(ev)).toEqual(['no-upn-or-rfc822']);
    expect(ev.sanEntries).toEqual([]);
    expect(ev.subjectAddresses).toEqual(['alice@contoso.com']);
    expect(r.summary).toMatch(/only in the subject/);
  });

  it("fails another user's UPN", async () => {
    const { r, ev } = await run([{ type: 'upn', value: 'bob@contoso.com' }], { upn: 'alice@contoso.com' });
    expect(r.status).toBe('fail');
    expect(codes(ev)).toEqual(['address-differs']);
    expect(ev.matchedBy).toBeNull();
    expect(r.summary).toMatch(/bob@contoso\.com differs from the address typed, alice@contoso\.com/);
  });

  it('fails when the UPN differs even if an RFC822 name matches (the UPN is used first)', async () => {
    const { r, ev } = await run([{ type: 'upn', value: 'bob@contoso.com' }, { type: 'rfc822', value: 'alice@contoso.com' }], { upn: 'alice@contoso.com' });
    expect(r.status).toBe('fail');
    expect(codes(ev)).toEqual(['address-differs']);
    expect(r.summary).toMatch(/only the RFC822 name matches/);
  });

  it('passes a UPN match next to other SAN entries and reports every entry', async () => {
    const san: SanEntry[] = [
      { type: 'rfc822', value: 'alice.smith@contoso.com' },
      { type: 'upn', value: 'alice@contoso.com' },
      { type: 'otherName', oid: '1.3.6.1.4.1.311.25.1', value: 'guid' },
      { type: 'dns', value: 'alice.contoso.com' },
    ];
    const { r, ev } = await run(san, { upn: 'alice@contoso.com' });
    expect(r.status).toBe('pass');
    expect(ev.sanEntries.map((s) => s.type)).toEqual(['rfc822', 'upn', 'otherName', 'dns']);
    expect(ev.sanEntries[2]).toMatchObject({ oid: '1.3.6.1.4.1.311.25.1' });
  });

  it('without a typed address, judges the UPN alone; with only a domain, warns on another domain', async () => {
    const none = await run([{ type: 'upn', value: 'alice@contoso.com' }]);
    expect(none.r.status).toBe('pass');
    expect(none.ev.usedValue).toEqual({ type: 'upn', value: 'alice@contoso.com' });
    expect(none.r.summary).toMatch(/no address was typed/);
    const other = await run([{ type: 'upn', value: 'alice@contoso.com' }], { domain: 'fabrikam.com' });
    expect(other.r.status).toBe('warn');
    expect(codes(other.ev)).toEqual(['domain-differs']);
    const lan = await run([{ type: 'upn', value: 'alice@corp.lan' }]);
    expect(lan.r.status).toBe('fail');
    expect(codes(lan.ev)).toEqual(['non-routable']);
  });

  it('skips without a user certificate', async () => {
    expect(result(await diagnose({ certs: [pki.ca], upn: 'alice@contoso.com', ids }), 'cert.san-upn').status).toBe('skip');
  });
});

describe('routability (Public Suffix List)', () => {
  it.each([
    ['contoso.com', true],
    ['eu.contoso.co.uk', true],
    ['contoso.onmicrosoft.com', true],
    ['contoso.local', false],
    ['corp.lan', false],
    ['contoso.corp', false],
    ['contoso.internal', false],
    ['contoso', false],
    ['co.uk', false],
    ['contoso.test', false],
    ['printers.home.arpa', false],
    ['10.0.0.1', false],
    ['bad..name.com', false],
  ])('%s → %s', (d, ok) => {
    const r = routability(d);
    expect(r.routable).toBe(ok);
    if (!ok) expect(r.reason).toBeTruthy();
  });
});
