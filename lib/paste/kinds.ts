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
  /** Nothing of this kind could be read (the block was mistaken for it). */
  isEmpty: (d: PasteDataByKind[K]) => boolean;
}

type Specs = { [K in PasteKind]: KindSpec<K> };

export const KINDS: Specs = {
  'adfs-auth-provider': {
    kind: 'adfs-auth-provider',
    label: 'Get-AdfsAuthenticationProvider',
    listScore: scoreAdfsAuthProvider,
    parse: parseAdfsAuthProvider,
    isEmpty: (d) => d.providers.length === 0,
  },
  'msol-federation': {
    kind: 'msol-federation',
    label: 'Get-MsolDomainFederationSettings',
    parse: parseFederationList,
    isEmpty: (d) => !d.promptLoginBehavior && !d.issuerUri && !d.preferredAuthenticationProtocol,
  },
  'mg-federation': {
    kind: 'mg-federation',
    label: 'Get-MgDomainFederationConfiguration (Format-List or Graph JSON)',
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
    parse: parseTrustedCaList,
    isEmpty: (d) => d.authorities.length === 0,
  },
  'claim-rules': {
    kind: 'claim-rules',
    label: 'claim rules of the "Active Directory" claims provider trust and the Office 365 relying party trust',
    lineScore: lineScoreClaimRules,
    listScore: scoreClaimRulesList,
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
    isEmpty: (d) => d.certificates.length === 0,
  },
  ...ENTRA_KINDS,
};

export const KIND_LIST: KindSpec[] = Object.values(KINDS) as KindSpec[];

/** What CBA Doctor can read, for the "not recognised" message. */
export function recognisedKinds(): { kind: PasteKind; command: string }[] {
  return KIND_LIST.map((k) => ({ kind: k.kind, command: k.label }));
}
