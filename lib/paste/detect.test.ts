import { describe, expect, it } from 'vitest';
import { makePki } from '@/test/pki/gen';
import { parsePaste, parsePastes } from './detect';
import { digest, digestAll } from '@/test/paste/digest';
import {
  SAMPLE_COMMANDS,
  crlf,
  lowerCaseNames,
  moreBlankLines,
  rewrap,
  sample,
  tabs,
  unwrapFormatList,
  withExtraProperties,
  withPrompt,
  wrapFormatList,
} from '@/test/paste/variants';
import type { PasteKind } from './types';

const SAMPLES: [string, PasteKind][] = [
  ['adfs-auth-provider', 'adfs-auth-provider'],
  ['msol-federation', 'msol-federation'],
  ['mg-federation', 'mg-federation'],
  ['netsh-urlacl', 'netsh-urlacl'],
  ['netsh-sslcert', 'netsh-sslcert'],
  ['certutil-urlfetch', 'certutil-urlfetch'],
  ['trusted-ca', 'trusted-ca'],
  ['verifystore-root', 'verifystore'],
];
const FORMAT_LIST = new Set(['adfs-auth-provider', 'msol-federation', 'mg-federation', 'trusted-ca']);
const STATES = ['healthy', 'broken'] as const;

const kinds = (text: string) => parsePaste(text).blocks.map((b) => b.kind);

describe('detection of the sample outputs', () => {
  for (const [name, kind] of SAMPLES)
    for (const state of STATES)
      it(`${name}.${state} is one ${kind} block`, () => {
        const text = sample(`${name}.${state}.txt`);
        const r = parsePaste(text, `${name}.${state}.txt`);
        expect(r.unknown).toEqual([]);
        expect(r.blocks.map((b) => b.kind)).toEqual([kind]);
        const nonBlank = text.split('\n').map((l, i) => (l.trim() ? i + 1 : 0)).filter(Boolean);
        expect(r.blocks[0].firstLine).toBe(nonBlank[0]);
        expect(r.blocks[0].lastLine).toBe(nonBlank[nonBlank.length - 1]);
        expect(r.blocks[0].source).toBe(`${name}.${state}.txt`);
      });

  for (const state of STATES)
    it(`claim-rules.${state} gives the claims provider trust and the relying party trust, named by their commands`, () => {
      const r = parsePaste(sample(`claim-rules.${state}.txt`));
      expect(r.unknown).toEqual([]);
      expect(r.blocks.map((b) => b.kind)).toEqual(['claim-rules', 'claim-rules']);
      const sets = r.blocks.flatMap((b) => (b.kind === 'claim-rules' ? b.data.sets : []));
      expect(sets.map((s) => [s.trust, s.trustName, s.trustFrom])).toEqual([
        ['claims-provider', 'Active Directory', 'command'],
        ['relying-party', 'Microsoft Office 365 Identity Platform', 'command'],
      ]);
      expect(r.blocks[0].command).toContain('Get-AdfsClaimsProviderTrust');
    });
});

describe('variants of the samples read the same', () => {
  for (const [name] of SAMPLES)
    for (const state of STATES) {
      const file = `${name}.${state}.txt`;
      const original = () => digestAll(parsePaste(sample(file)));
      const variants: [string, (t: string) => string][] = [
        ['CRLF', crlf],
        ['extra blank lines', moreBlankLines],
        ['prompt and command line', (t) => withPrompt(t, SAMPLE_COMMANDS[name], name.startsWith('netsh') || name.startsWith('certutil') || name.startsWith('verifystore') ? 'cmd' : 'ps')],
        ['CRLF + prompt', (t) => crlf(withPrompt(t, SAMPLE_COMMANDS[name]))],
      ];
      if (FORMAT_LIST.has(name))
        variants.push(
          ['re-wrapped at 80 columns', (t) => rewrap(t, 80)],
          ['re-wrapped at 100 columns', (t) => rewrap(t, 100)],
          ['re-wrapped at 160 columns', (t) => rewrap(t, 160)],
          ['re-wrapped at 250 columns', (t) => rewrap(t, 250)],
          ['extra properties', withExtraProperties],
          ['lower-case property names', lowerCaseNames],
          ['tab-aligned', tabs],
        );
      for (const [label, f] of variants)
        it(`${file}: ${label}`, () => {
          const r = parsePaste(f(sample(file)));
          expect(r.unknown).toEqual([]);
          expect(digestAll(r)).toEqual(original());
        });
    }

  it('the Format-List re-wrapper really changes the layout', () => {
    const t = sample('trusted-ca.broken.txt');
    expect(rewrap(t, 80)).not.toBe(t);
    expect(Math.max(...rewrap(t, 80).split('\n').map((l) => l.length))).toBeLessThan(80);
    // The round trip at the original width is exact, so the re-wrapper itself adds no differences.
    expect(wrapFormatList(unwrapFormatList(t), 120).trimEnd()).toBe(t.trimEnd());
  });

  it('reads more providers, reservations and bindings than the samples hold', () => {
    const extraProvider = wrapFormatList(
      [[{ name: 'AdminName', value: 'Azure MFA' }, { name: 'AllowedForPrimaryExtranet', value: 'True' }, { name: 'AllowedForPrimaryIntranet', value: 'False' }, { name: 'Name', value: 'AzureMfaAuthentication' }, { name: 'IsCustom', value: 'False' }]],
      120,
    );
    const adfs = parsePaste(`${sample('adfs-auth-provider.healthy.txt')}\n${extraProvider}`);
    expect(adfs.blocks).toHaveLength(1);
    expect(digest(adfs.blocks[0])).toContainEqual(['AzureMfaAuthentication', 'Azure MFA', true, false]);

    const acl = sample('netsh-urlacl.healthy.txt').replace(
      '    Reserved URL            : http://*:2869/ \n',
      '    Reserved URL            : https://+:8443/app/ \n        User: CONTOSO\\svc-app\n            Listen: Yes\n            Delegate: No\n\n    Reserved URL            : http://*:2869/ \n',
    );
    const urls = parsePaste(acl).blocks[0];
    expect(urls.kind === 'netsh-urlacl' && urls.data.reservations.map((r) => r.url)).toContain('https://+:8443/app/');

    const ssl = `${sample('netsh-sslcert.healthy.txt')}    IP:port                      : 0.0.0.0:8443\n    Certificate Hash             : 0123456789abcdef0123456789abcdef01234567\n    Application ID               : {4dc3e181-e14b-4a21-b022-59fc669b0914}\n    Ctl Store Name               : (null)\n    Negotiate Client Certificate : Disabled\n`;
    const b = parsePaste(ssl).blocks[0];
    expect(b.kind === 'netsh-sslcert' && b.data.bindings.map((x) => [x.endpoint, x.endpointType, x.port])).toContainEqual(['0.0.0.0:8443', 'ipport', 8443]);
  });
});

describe('several outputs in one paste', () => {
  const healthy = SAMPLES.map(([n]) => sample(`${n}.healthy.txt`));
  const expected = SAMPLES.map(([, k]) => k);

  it('splits outputs pasted one after another with blank lines, no prompts', () => {
    const r = parsePaste(healthy.join('\n\n'));
    expect(r.blocks.map((b) => b.kind)).toEqual(expected);
    expect(r.unknown).toEqual([]);
    expect(digestAll(r)).toEqual(SAMPLES.flatMap(([n]) => digestAll(parsePaste(sample(`${n}.healthy.txt`)))));
  });

  it('splits files concatenated without a blank line between them', () => {
    const r = parsePaste(healthy.join(''));
    expect(r.blocks.map((b) => b.kind)).toEqual(expected);
    expect(r.unknown).toEqual([]);
    expect(digestAll(r)).toEqual(SAMPLES.flatMap(([n]) => digestAll(parsePaste(sample(`${n}.healthy.txt`)))));
    const reversed = parsePaste([...healthy].reverse().join(''));
    expect(reversed.blocks.map((b) => b.kind)).toEqual([...expected].reverse());
  });

  it('splits outputs with prompt lines, CRLF, and the claim rules in the middle', () => {
    const parts = SAMPLES.map(([n]) => withPrompt(sample(`${n}.healthy.txt`), SAMPLE_COMMANDS[n]));
    parts.splice(3, 0, sample('claim-rules.broken.txt'));
    const r = parsePaste(crlf(parts.join('\n')));
    expect(r.blocks.map((b) => b.kind)).toEqual([...expected.slice(0, 3), 'claim-rules', 'claim-rules', ...expected.slice(3)]);
    expect(r.unknown).toEqual([]);
    expect(r.blocks[0].command).toBe('Get-AdfsAuthenticationProvider');
  });

  it('tells the two claim-rule trusts apart by their content when the command lines are missing', () => {
    for (const state of STATES) {
      const bare = sample(`claim-rules.${state}.txt`)
        .split('\n')
        .filter((l) => !l.startsWith('PS C:'))
        .join('\n');
      const sets = parsePaste(bare).blocks.flatMap((b) => (b.kind === 'claim-rules' ? b.data.sets : []));
      expect(sets.map((s) => [s.trust, s.trustFrom])).toEqual([
        ['claims-provider', 'content'],
        ['relying-party', 'content'],
      ]);
      const withCommands = parsePaste(sample(`claim-rules.${state}.txt`)).blocks.flatMap((b) => (b.kind === 'claim-rules' ? b.data.sets : []));
      expect(sets.map((s) => s.rules.map((r) => r.passThrough))).toEqual(withCommands.map((s) => s.rules.map((r) => r.passThrough)));
    }
  });

  it('keeps two certutil runs apart', () => {
    const r = parsePaste(`${sample('certutil-urlfetch.healthy.txt')}\n${sample('certutil-urlfetch.broken.txt')}`);
    expect(r.blocks.map((b) => b.kind)).toEqual(['certutil-urlfetch', 'certutil-urlfetch']);
    const [a, b] = r.blocks;
    expect(a.kind === 'certutil-urlfetch' && a.data.errors).toEqual([]);
    expect(b.kind === 'certutil-urlfetch' && b.data.errors.length).toBeGreaterThan(0);
  });

  it('reads each pasted text on its own, with its label', () => {
    const r = parsePastes([
      { name: 'box-1', text: sample('msol-federation.broken.txt') },
      { text: '' },
      { name: 'box-3', text: 'Hello, I cannot sign in with my smart card.\nThanks' },
    ]);
    expect(r.blocks.map((b) => [b.kind, b.source, b.pasteIndex])).toEqual([['msol-federation', 'box-1', 0]]);
    expect(r.empty).toEqual([{ pasteIndex: 1 }]);
    expect(r.unknown.map((u) => [u.source, u.pasteIndex, u.preview, u.firstLine, u.lastLine])).toEqual([['box-3', 2, 'Hello, I cannot sign in with my smart card.', 1, 2]]);
  });
});

describe('what is not recognised', () => {
  it('reports prose, errors and half outputs as unrecognised, with the command when there was one', () => {
    const err = [
      'PS C:\\> Get-MsolDomainFederationSettings -DomainName contoso.com',
      'Get-MsolDomainFederationSettings : You must call the Connect-MsolService cmdlet before calling any other cmdlets.',
      'At line:1 char:1',
      '+ Get-MsolDomainFederationSettings -DomainName contoso.com',
      '    + CategoryInfo          : OperationStopped: (:) [Get-MsolDomainFederationSettings], MicrosoftOnlineException',
    ].join('\n');
    const r = parsePaste(err);
    expect(r.blocks).toEqual([]);
    expect(r.unknown).toHaveLength(1);
    expect(r.unknown[0].command).toContain('Get-MsolDomainFederationSettings');
    expect(r.unknown[0].reason).toContain('Get-MsolDomainFederationSettings');
    expect(r.unknown[0].preview).toContain('Connect-MsolService');
  });

  it('keeps recognised outputs when unrelated text surrounds them', () => {
    const r = parsePaste(`Here is what the server printed:\n\n${sample('trusted-ca.healthy.txt')}\n\nLet me know!`);
    expect(r.blocks.map((b) => b.kind)).toEqual(['trusted-ca']);
    expect(r.unknown.map((u) => u.preview)).toEqual(['Here is what the server printed:', 'Let me know!']);
  });

  it('treats an empty or blank paste as empty', () => {
    expect(parsePaste('').empty).toHaveLength(1);
    expect(parsePaste('\r\n  \n\t\n').empty).toHaveLength(1);
    expect(parsePaste('PS C:\\>\n\nPS C:\\>').empty).toHaveLength(1);
  });
});

describe('other encodings and formats', () => {
  it('reads a Windows PowerShell UTF-16 file read as UTF-8', () => {
    const text = sample('adfs-auth-provider.broken.txt');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf(text), 'utf16le')]).toString('utf8');
    expect(digestAll(parsePaste(utf16))).toEqual(digestAll(parsePaste(text)));
  });

  it('reads the Microsoft Graph JSON of the trusted CAs, legacy and PKI trust store', async () => {
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256' } });
    const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
    const legacy = JSON.stringify(
      {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization(...)/certificateBasedAuthConfiguration',
        value: [
          {
            id: '29728ade-6ae4-4ee9-9103-412912537da5',
            certificateAuthorities: [
              { isRootAuthority: true, certificateRevocationListUrl: 'http://pki.contoso.com/crl/contoso-root.crl', deltaCertificateRevocationListUrl: null, certificate: b64(pki.root.der), issuer: 'CN=Contoso Root CA, O=Contoso, C=US', issuerSki: pki.root.ski.toUpperCase() },
              { isRootAuthority: false, certificateRevocationListUrl: '', certificate: b64(pki.ca.der), issuer: 'x', issuerSki: 'y' },
            ],
          },
        ],
      },
      null,
      2,
    );
    const r = parsePaste(`PS C:\\> Invoke-MgGraphRequest -Uri "v1.0/organization/$org/certificateBasedAuthConfiguration" | ConvertTo-Json -Depth 5\n${legacy}`);
    expect(r.unknown).toEqual([]);
    const b = r.blocks[0];
    if (b.kind !== 'trusted-ca') throw new Error(b.kind);
    expect(b.data.format).toBe('graph-json');
    expect(b.data.authorities.map((a) => [a.authorityType, a.crlDistributionPoint, a.ski, a.issuer, a.certificate?.selfIssued])).toEqual([
      ['RootAuthority', 'http://pki.contoso.com/crl/contoso-root.crl', pki.root.ski, 'CN=Contoso Root CA, O=Contoso, C=US', true],
      // The certificate wins over the (wrong) issuer and SKI strings next to it.
      ['IntermediateAuthority', null, pki.ca.ski, 'CN=Contoso Issuing CA 1, O=Contoso, C=US', false],
    ]);
    expect(b.data.authorities[1].line).toBeGreaterThan(b.data.authorities[0].line);

    const store = JSON.stringify({ value: [{ id: 'a', displayName: 'Contoso Root', certificateAuthorityType: 'root', certificateRevocationListUrl: 'ldap:///CN=x', certificate: b64(pki.root.der), expirationDateTime: '2035-01-01T00:00:00Z' }] });
    const s = parsePaste(store).blocks[0];
    expect(s.kind === 'trusted-ca' && s.data.authorities.map((a) => [a.authorityType, a.crlDistributionPoint, a.expiration, a.displayName])).toEqual([['RootAuthority', 'ldap:///CN=x', '2035-01-01T00:00:00Z', 'Contoso Root']]);
  });

  it('reads the Graph JSON of a domain federation configuration', () => {
    const json = '{\n  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#domains(\'contoso.com\')/federationConfiguration",\n  "value": [\n    {\n      "id": "8c2f4e71-5b0a-4d3e-9f16-2a7c9e04b5d3",\n      "issuerUri": "http://contoso.com/adfs/services/trust/",\n      "passiveSignInUri": "https://sts.contoso.com/adfs/ls/",\n      "promptLoginBehavior": "translateToFreshPasswordAuthentication"\n    }\n  ]\n}';
    const b = parsePaste(json).blocks[0];
    if (b.kind !== 'mg-federation') throw new Error(b.kind);
    expect(b.data.promptLoginBehavior).toEqual({ value: 'translateToFreshPasswordAuthentication', line: 8, text: '"promptLoginBehavior": "translateToFreshPasswordAuthentication"' });
    expect([b.data.id, b.data.federationHost, b.data.format]).toEqual(['8c2f4e71-5b0a-4d3e-9f16-2a7c9e04b5d3', 'sts.contoso.com', 'json']);
  });

  it('reads claim rules inside the Format-List output of the trusts', () => {
    const rules = sample('claim-rules.broken.txt').split('PS C:\\> (Get-AdfsRelyingPartyTrust')[1].split('\n').slice(1, -3);
    const fl = ['Name                                 : Microsoft Office 365 Identity Platform', 'Enabled                              : True', `IssuanceTransformRules               : ${rules[0]}`, ...rules.slice(1).map((l) => (l ? `                                       ${l}` : '')), 'Identifier                           : {urn:federation:MicrosoftOnline}'].join('\n');
    const r = parsePaste(fl);
    expect(r.blocks.map((b) => b.kind)).toEqual(['claim-rules']);
    const set = r.blocks[0].kind === 'claim-rules' ? r.blocks[0].data.sets[0] : undefined;
    expect([set?.trust, set?.trustName, set?.trustFrom]).toEqual(['relying-party', 'Microsoft Office 365 Identity Platform', 'property']);
    expect(set?.rules.map((x) => x.passThrough).filter(Boolean)).toContain('http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber');
    expect(set?.rules.map((x) => x.passThrough)).not.toContain('http://schemas.microsoft.com/2012/12/certificatecontext/field/issuer');
  });

  it('knows the store of certutil -verifystore from its header or from the command', () => {
    const body = sample('verifystore-root.healthy.txt').split('\n').slice(1).join('\n');
    expect(parsePaste(`CA "Intermediate Certification Authorities"\n${body}`).blocks.map((b) => b.kind === 'verifystore' && b.data.store)).toEqual(['CA']);
    expect(parsePaste(withPrompt(body, 'certutil -verifystore CA', 'cmd')).blocks.map((b) => b.kind === 'verifystore' && b.data.store)).toEqual(['CA']);
    expect(parsePaste(body).blocks.map((b) => b.kind === 'verifystore' && b.data.store)).toEqual([null]);
  });
});

describe('detection is stable', () => {
  it('does not depend on where blank lines fall between outputs', () => {
    const all = SAMPLES.map(([n]) => sample(`${n}.broken.txt`));
    const ref = kinds(all.join('\n'));
    expect(kinds(all.join('\n\n\n\n'))).toEqual(ref);
    expect(kinds(crlf(all.map(moreBlankLines).join('')))).toEqual(ref);
  });
});
