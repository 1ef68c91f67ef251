// The kinds of pasted output CBA Doctor reads: how each one is recognised and which parser reads it.
import { parseAdfsAuthProvider, scoreAdfsAuthProvider } from './adfs-auth-provider';
import { isCertutilTerminal, lineScoreCertutil, parseCertutilUrlfetch } from './certutil-urlfetch';
import { lineScoreClaimRules, parseClaimRules, scoreClaimRulesList } from './claim-rules';
import type { CommandHint } from './commands';
import { ENTRA_KINDS } from './entra-kinds';
import { parseFederationList } from './federation';
import { lineScoreSslCert, parseNetshSslCert } from './netsh-sslcert';
import { lineScoreUrlAcl, parseNetshUrlAcl } from './netsh-urlacl';
import type { Line } from './text';
import { parseTrustedCaList, scoreTrustedCaList } from './trusted-ca';
import type { PasteDataByKind, PasteKind } from './types';
import { ADFS_PROPERTIES_NAMES, parseAdfsProperties, scoreAdfsProperties } from './adfs-properties';
import { ADFS_SSL_NAMES, parseAdfsSslCertificate, scoreAdfsSslCertificate } from './adfs-ssl-certificate';
import { REG_MARKER_HEADS, lineScoreRegSchannel, parseRegSchannel } from './reg-schannel';
import { WINHTTP_MARKER_HEADS, lineScoreWinHttp, parseWinHttpProxy } from './winhttp-proxy';
import { isVerifyStoreTerminal, lineScoreVerifyStore, parseVerifyStore } from './verifystore';

export interface KindSpec<K extends PasteKind = PasteKind> {
  kind: K;
  /** The command(s) that print it, for messages. */
  label: string;
  /** Score of one (trimmed) line of a plain-text output. */
  lineScore?: (t: string) => number;
  /** Score of the Format-List property names (lower-case) of a paragraph. */
  listScore?: (names: Set<string>) => number;
  /** The output runs over paragraphs that carry no marker of their own (certutil's sections). */
  sticky?: boolean;
  /** The line that closes one run of the command (detection asks only lines that may start with "CertUtil:"). */
  terminal?: (t: string) => boolean;
  parse: (lines: Line[], hint?: CommandHint) => PasteDataByKind[K];
  /**
   * First two letters (as printed) of the marker lines lineScore knows, beyond the built-in ones (score.ts
   * asks lineScore only about lines that may be a marker).
   */
  markerHeads?: string[];
  /** Format-List property names (lower-case) this kind's listScore looks at, beyond the built-in ones (score.ts). */
  listNames?: string[];
  /**
   * Object output: the command that prints what the checks need as Format-List. Format-Table output of the
   * kind is read when it shows `tableNeeds` in full; otherwise the block is reported with this command.
   */
  formatList?: string;
  tableNeeds?: string[];
  /** Nothing of this kind could be read (the block was mistaken for it). */
  isEmpty: (d: PasteDataByKind[K]) => boolean;
}

type Specs = { [K in PasteKind]: KindSpec<K> };

export const KINDS: Specs = {
  'adfs-auth-provider': {
    kind: 'adfs-auth-provider',
    label: 'Get-AdfsAuthenticationProvider',
    listScore: scoreAdfsAuthProvider,
    formatList: 'Get-AdfsAuthenticationProvider | Format-List Name, AllowedForPrimaryExtranet, AllowedForPrimaryIntranet',
    tableNeeds: ['Name', 'AllowedForPrimaryExtranet'],
    parse: parseAdfsAuthProvider,
    isEmpty: (d) => d.providers.length === 0,
  },
  'msol-federation': {
    kind: 'msol-federation',
    label: 'Get-MsolDomainFederationSettings',
    formatList: 'Get-MsolDomainFederationSettings -DomainName <domain> | Format-List *',
    parse: parseFederationList,
    isEmpty: (d) => !d.promptLoginBehavior && !d.issuerUri && !d.preferredAuthenticationProtocol,
  },
  'mg-federation': {
    kind: 'mg-federation',
    label: 'Get-MgDomainFederationConfiguration (Format-List or Graph JSON)',
    formatList: 'Get-MgDomainFederationConfiguration -DomainId <domain> | Format-List',
    parse: parseFederationList,
    isEmpty: (d) => !d.promptLoginBehavior && !d.issuerUri && !d.preferredAuthenticationProtocol,
  },
  'netsh-urlacl': {
    kind: 'netsh-urlacl',
    label: 'netsh http show urlacl',
    lineScore: lineScoreUrlAcl,
    parse: parseNetshUrlAcl,
    // An empty reservation list is a real answer (and a finding), as long as netsh's header was there.
    isEmpty: () => false,
  },
  'netsh-sslcert': {
    kind: 'netsh-sslcert',
    label: 'netsh http show sslcert',
    lineScore: lineScoreSslCert,
    parse: parseNetshSslCert,
    isEmpty: () => false,
  },
  'certutil-urlfetch': {
    kind: 'certutil-urlfetch',
    label: 'certutil -verify -urlfetch',
    lineScore: lineScoreCertutil,
    sticky: true,
    terminal: isCertutilTerminal,
    parse: parseCertutilUrlfetch,
    isEmpty: (d) => !d.elements.length && !d.finalLine && !d.errors.length,
  },
  'trusted-ca': {
    kind: 'trusted-ca',
    label: 'Get-AzureADTrustedCertificateAuthority (or the Graph certificate authorities JSON)',
    listScore: scoreTrustedCaList,
    formatList: 'Get-AzureADTrustedCertificateAuthority | Format-List AuthorityType, TrustedIssuer, TrustedIssuerSki, CrlDistributionPoint, DeltaCrlDistributionPoint',
    tableNeeds: ['AuthorityType', 'TrustedIssuer', 'CrlDistributionPoint'],
    parse: parseTrustedCaList,
    isEmpty: (d) => d.authorities.length === 0,
  },
  'claim-rules': {
    kind: 'claim-rules',
    label: 'claim rules of the "Active Directory" claims provider trust and the Office 365 relying party trust',
    lineScore: lineScoreClaimRules,
    listScore: scoreClaimRulesList,
    formatList: "(Get-AdfsRelyingPartyTrust -Name 'Microsoft Office 365 Identity Platform').IssuanceTransformRules",
    parse: parseClaimRules,
    isEmpty: (d) => d.sets.every((s) => s.rules.length === 0),
  },
  verifystore: {
    kind: 'verifystore',
    label: 'certutil -verifystore Root / CA',
    lineScore: lineScoreVerifyStore,
    sticky: true,
    terminal: isVerifyStoreTerminal,
    parse: parseVerifyStore,
    // A store listed with its header and closing line but no certificate is empty: a real answer (an empty
    // Client Authentication Issuers store is the healthy default).
    isEmpty: (d) => d.certificates.length === 0 && !(d.store && d.finalLine),
  },
  'reg-schannel': {
    kind: 'reg-schannel',
    label: 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL',
    lineScore: lineScoreRegSchannel,
    markerHeads: REG_MARKER_HEADS,
    parse: parseRegSchannel,
    isEmpty: (d) => d.keys.length === 0,
  },
  'adfs-properties': {
    kind: 'adfs-properties',
    label: 'Get-AdfsProperties | Format-List HostName, HttpsPort, TlsClientPort',
    listScore: scoreAdfsProperties,
    listNames: ADFS_PROPERTIES_NAMES,
    formatList: 'Get-AdfsProperties | Format-List HostName, HttpsPort, TlsClientPort',
    tableNeeds: ['HostName', 'HttpsPort', 'TlsClientPort'],
    parse: parseAdfsProperties,
    isEmpty: (d) => !d.hostName && !d.httpsPort && !d.tlsClientPort,
  },
  'adfs-ssl-certificate': {
    kind: 'adfs-ssl-certificate',
    label: 'Get-AdfsSslCertificate',
    listScore: scoreAdfsSslCertificate,
    listNames: ADFS_SSL_NAMES,
    formatList: 'Get-AdfsSslCertificate | Format-List HostName, PortNumber, CertificateHash',
    tableNeeds: ['HostName', 'PortNumber', 'CertificateHash'],
    parse: parseAdfsSslCertificate,
    isEmpty: (d) => d.bindings.length === 0,
  },
  'winhttp-proxy': {
    kind: 'winhttp-proxy',
    label: 'netsh winhttp show proxy',
    lineScore: lineScoreWinHttp,
    markerHeads: WINHTTP_MARKER_HEADS,
    parse: parseWinHttpProxy,
    isEmpty: (d) => d.direct === null,
  },
  ...ENTRA_KINDS,
};

export const KIND_LIST: KindSpec[] = Object.values(KINDS) as KindSpec[];

/** What CBA Doctor can read, for the "not recognised" message. */
export function recognisedKinds(): { kind: PasteKind; command: string }[] {
  return KIND_LIST.map((k) => ({ kind: k.kind, command: k.label }));
}
