import { describe, expect, it } from 'vitest';
import { prop, readFormatList } from './format-list';
import { sample, wrapFormatList } from '@/test/paste/variants';
import { toLines } from './text';

const read = (t: string, width?: number) => readFormatList(toLines(t), width);

describe('readFormatList', () => {
  it('joins a base64 value cut mid-word at the console width without adding spaces', () => {
    const text = sample('msol-federation.broken.txt');
    const [rec] = read(text);
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('SigningCertificate '));
    const pieces = [lines[first].split(': ')[1], ...lines.slice(first + 1).filter((l) => l.startsWith(' ')).map((l) => l.trim())];
    const v = prop(rec, 'SigningCertificate')!.value;
    expect(v).toBe(pieces.join(''));
    expect(v).toMatch(/^MIIC\/TCCAeWg[A-Za-z0-9+/]+=*$/);
    expect(prop(rec, 'SigningCertificateUpdateStatus')!.value).toBe('');
    expect(prop(rec, 'promptloginbehavior')).toMatchObject({ value: 'TranslateToFreshPasswordAuth', line: 14 });
  });

  it('joins a wrapped LDAP URL and keeps a short value on one line', () => {
    const [root, issuing] = read(sample('trusted-ca.broken.txt'));
    expect(prop(issuing, 'CrlDistributionPoint')!.value).toBe(
      'ldap:///CN=Contoso%20Issuing%20CA,CN=PKI01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint',
    );
    expect(prop(root, 'CrlDistributionPoint')!.value).toBe('http://crl.contoso.com/pki/Contoso%20Root%20CA.crl');
    expect(prop(root, 'DeltaCrlDistributionPoint')!.value).toBe('');
  });

  it('reads collections and notices when PowerShell cut them', () => {
    const [root] = read(sample('trusted-ca.healthy.txt'));
    expect(prop(root, 'TrustedCertificate')!.collection).toEqual({ items: ['48', '130', '5', '59'], truncated: true });
    const providers = read(sample('adfs-auth-provider.healthy.txt'));
    expect(providers.map((r) => r.props.map((p) => p.name))).toEqual(
      Array(3).fill(['AdminName', 'AllowedForPrimaryExtranet', 'AllowedForPrimaryIntranet', 'AllowedForAdditionalAuthentication', 'AuthenticationMethods', 'Descriptions', 'DisplayNames', 'Name', 'IdentityClaims', 'IsCustom', 'RequiresIdentity']),
    );
    expect(prop(providers[0], 'AuthenticationMethods')!.collection).toEqual({
      items: [
        'urn:oasis:names:tc:SAML:1.0:am:password',
        'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
        'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
      ],
      truncated: false,
    });
    expect(prop(providers[1], 'AuthenticationMethods')!.collection).toMatchObject({ truncated: true });
    expect(prop(providers[1], 'AuthenticationMethods')!.collection!.items.at(-1)).toBe('http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/kerberos');
    expect(prop(providers[0], 'Descriptions')!.collection).toEqual({ items: [], truncated: false });
  });

  it('joins a value wrapped at spaces with spaces, at any width', () => {
    const dn = 'CN=Contoso Issuing CA, OU=Public Key Infrastructure Services, O=Contoso Pharmaceuticals, DC=contoso, DC=com';
    for (const width of [50, 64, 80]) {
      const [r] = read(wrapFormatList([[{ name: 'AuthorityType', value: 'IntermediateAuthority' }, { name: 'TrustedIssuer', value: dn }]], width));
      expect(prop(r, 'TrustedIssuer')!.value).toBe(dn);
    }
  });

  it('takes a continuation that looks like "word: value" as a continuation', () => {
    const t = ['Name      : One', 'Methods   : {first,', '            urn: not-a-property}', 'IsCustom  : False'].join('\n');
    const [r] = read(t);
    expect(r.props.map((p) => p.name)).toEqual(['Name', 'Methods', 'IsCustom']);
    expect(prop(r, 'Methods')!.collection?.items).toEqual(['first', 'urn: not-a-property']);
  });

  it('keeps records apart at blank lines and notes their lines', () => {
    const recs = read('\n\nA : 1\nB : 2\n\n\nA : 3\n');
    expect(recs.map((r) => [r.firstLine, r.lastLine, r.props.map((p) => p.value)])).toEqual([
      [3, 4, ['1', '2']],
      [7, 7, ['3']],
    ]);
  });
});
