import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisContext, DiagnosisInput } from '@/lib/report/artifacts';
import { closedPort, realmXml, startRealm, type RealmStandIn } from '@/test/adfs/standins';
import { canonicalNamespace, discoverRealm, parseRealmResponse, RealmParseError, realmLogin, targetFor } from './realm';

const ctx = (o: Partial<DiagnosisContext> = {}): DiagnosisContext => ({ now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000, ...o });
const input = (o: Partial<DiagnosisInput> = {}): DiagnosisInput => ({ files: [], crlFiles: [], pasted: [], ...o });

describe('parseRealmResponse', () => {
  it('reads a federated XML answer, entities decoded', () => {
    const info = parseRealmResponse(realmXml('alice@contoso.com', { namespace: 'Federated', authHost: 'sts.contoso.test', brand: 'Contoso & Co' }));
    expect(info.format).toBe('xml');
    expect(info.nameSpaceType).toBe('Federated');
    expect(info.domainName).toBe('contoso.com');
    expect(info.federationBrandName).toBe('Contoso & Co');
    expect(info.authUrl).toMatch(/^https:\/\/sts\.contoso\.test\/adfs\/ls\/\?username=alice%40contoso\.com&wa=wsignin1\.0&/);
    expect(info.stsAuthUrl).toBe('https://sts.contoso.test/adfs/services/trust/2005/usernamemixed');
    expect(info.success).toBe(true);
  });

  it('reads JSON answers, whatever the case of the keys', () => {
    const info = parseRealmResponse('{"State":4,"UserState":1,"Login":"bob@fabrikam.com","NameSpaceType":"Managed","DomainName":"fabrikam.com","FederationBrandName":"Fabrikam","cloudinstancename":"microsoftonline.com"}');
    expect(info).toMatchObject({ format: 'json', nameSpaceType: 'Managed', domainName: 'fabrikam.com', cloudInstanceName: 'microsoftonline.com' });
  });

  it.each([
    ['', /empty/],
    ['<html><body>proxy error</body></html>', /not a RealmInfo/],
    ['<RealmInfo Success="false"><State>1</State></RealmInfo>', /no NameSpaceType/],
    ['{"foo":1}', /no NameSpaceType/],
    ['{broken', /does not parse/],
    ['Access denied', /neither XML nor JSON/],
  ])('refuses %j with a reason', (text, why) => {
    expect(() => parseRealmResponse(text)).toThrow(RealmParseError);
    expect(() => parseRealmResponse(text)).toThrow(why);
  });

  it('maps namespaces to targets', () => {
    expect(targetFor(canonicalNamespace('federated'))).toBe('adfs');
    expect(targetFor(canonicalNamespace('Managed'))).toBe('entra');
    expect(targetFor(canonicalNamespace('Unknown'))).toBe('unknown');
    expect(targetFor(undefined)).toBe('unknown');
  });

  it('asks about the address, or any user of the domain', () => {
    expect(realmLogin(input({ upn: 'alice@contoso.com', domain: 'contoso.com' }))).toBe('alice@contoso.com');
    expect(realmLogin(input({ domain: 'contoso.com' }))).toBe('user@contoso.com');
    expect(realmLogin(input())).toBeUndefined();
  });
});

describe('discoverRealm against a stand-in', () => {
  let realm: RealmStandIn;
  beforeAll(async () => {
    realm = await startRealm({ 'contoso.com': { namespace: 'Federated', authHost: 'sts.contoso.test' }, 'fabrikam.com': { namespace: 'Managed' } });
  });
  afterAll(() => realm.close());

  it('federated: fills the host from AuthURL when none was typed', async () => {
    const r = (await discoverRealm({ ctx: ctx(), input: input({ upn: 'alice@contoso.com' }) }, { url: realm.url }))!;
    expect(r.fetch.ok).toBe(true);
    expect(r.namespace).toBe('Federated');
    expect(r.authUrlHost).toBe('sts.contoso.test');
    expect(r.filledHost).toBe('sts.contoso.test');
    expect(realm.asked.at(-1)).toBe('alice@contoso.com');
  });

  it('federated with a typed host: keeps it and does not fill', async () => {
    const r = (await discoverRealm({ ctx: ctx(), input: input({ upn: 'alice@contoso.com', federationHost: 'STS.Contoso.test' }) }, { url: realm.url }))!;
    expect(r.typedHost).toBe('sts.contoso.test');
    expect(r.filledHost).toBeUndefined();
  });

  it('managed and unknown domains', async () => {
    const m = (await discoverRealm({ ctx: ctx(), input: input({ domain: 'fabrikam.com' }) }, { url: realm.url }))!;
    expect(m.namespace).toBe('Managed');
    expect(m.filledHost).toBeUndefined();
    expect(realm.asked.at(-1)).toBe('user@fabrikam.com');
    const u = (await discoverRealm({ ctx: ctx(), input: input({ upn: 'bob@nowhere.test' }) }, { url: realm.url }))!;
    expect(u.namespace).toBe('Unknown');
  });

  it('nothing to ask offline or without an address', async () => {
    expect(await discoverRealm({ ctx: ctx({ offline: true }), input: input({ upn: 'alice@contoso.com' }) }, { url: realm.url })).toBeUndefined();
    expect(await discoverRealm({ ctx: ctx(), input: input() }, { url: realm.url })).toBeUndefined();
  });

  it('the network policy refuses the loopback stand-in by default', async () => {
    const r = (await discoverRealm({ ctx: ctx({ allowPrivate: false }), input: input({ upn: 'alice@contoso.com' }) }, { url: realm.url }))!;
    expect(r.fetch.ok).toBe(false);
    expect(r.fetch.error?.kind).toBe('blocked');
    expect(r.namespace).toBeUndefined();
  });

  it('an unreachable endpoint is a fetch error, not a namespace', async () => {
    const r = (await discoverRealm({ ctx: ctx(), input: input({ upn: 'alice@contoso.com' }) }, { url: `http://127.0.0.1:${await closedPort()}/getuserrealm.srf` }))!;
    expect(r.fetch.error?.kind).toBe('refused');
  });

  it('reads CBA_DOCTOR_REALM_URL when no URL is given', async () => {
    const before = process.env.CBA_DOCTOR_REALM_URL;
    process.env.CBA_DOCTOR_REALM_URL = realm.url;
    try {
      const r = (await discoverRealm({ ctx: ctx(), input: input({ upn: 'carol@fabrikam.com' }) }))!;
      expect(r.endpoint).toBe(realm.url);
      expect(r.namespace).toBe('Managed');
    } finally {
      if (before === undefined) delete process.env.CBA_DOCTOR_REALM_URL;
      else process.env.CBA_DOCTOR_REALM_URL = before;
    }
  });
});
