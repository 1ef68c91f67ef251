// Every ready-to-run command builder, fed hostile values (every PowerShell quote character, $( ), backticks, ;,
// line breaks, &, |, cmd's % ^ < >, here-string and comment markers): the PowerShell tokenization of each command
// must keep the value inside one single-quoted literal, or the value must be a plain inert word, or the command
// must be left out. Native lines (certutil, netsh, nslookup, openssl, curl) may hold the value only as an inert word,
// since cmd.exe knows no single quotes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adFilter, fileNameFrom, psArg, psArray, psLiteral } from '@/lib/commands';
import {
  certutilAddStore,
  certutilDelStore,
  certutilDump,
  certutilUnrevoke,
  certutilVerifyUrlfetch,
  curlStatus,
  netshShowSslcert,
  nslookup,
  opensslSClient,
  testNetConnection,
} from '@/lib/commands/windows';
import { psQuote } from '@/lib/checks/cert/common';
import { checkProxyAddresses, compareWithDirectory } from '@/lib/checks/cert/cert.san-upn';
import { addCertificateUserIdCommand } from '@/lib/checks/cert/cert.user-ids';
import { graphCaCommand, legacyCaCommand } from '@/lib/checks/chain/chain.authority-types';
import { fileOf } from '@/lib/checks/chain/common';
import { addRulesCommand } from '@/lib/checks/config/config.claim-rules';
import { providerList } from '@/lib/checks/config/config.cert-provider';
import { resolveHosts } from '@/lib/checks/config/config.certutil';
import { mgPromptLoginCommand, msolPromptLoginCommand } from '@/lib/checks/config/config.prompt-login';
import { addToStore, moveToIntermediate } from '@/lib/checks/config/config.server-stores';
import { sslcertFix } from '@/lib/checks/config/config.sslcert';
import { fixes as trustedCaFixes, type Target } from '@/lib/checks/config/config.trusted-cas';
import { removeReservation } from '@/lib/checks/config/config.urlacl';
import { federationSettingsCommand } from '@/lib/checks/realm/realm.sts-host';
import { downloadCommand } from '@/lib/net/crl-report';
import type { CertEntry } from '@/lib/pki/types';
import { tokenize, type Token } from './ps-tokenize';

const START = 'ZQX';
const END = 'QXZ';
const PIECES = [
  "'", '\u2018', '\u2019', '\u201a', '\u201b', '"', '\u201c', '\u201d', '\u201e',
  '$(', '$(calc)', ')', '(', '`', '`n', ';', ';calc;', '\n', '\r\n', '\r', '&', '&&', '|', '||', '<', '>', '%', '%PATH%', '^',
  '{', '}', '@', '@(', "@'", "'@", '"@', '#', '<#', '#>', ' ', '\t', '$x', '${x}', '-', '--', '.', ',', '\\', '/', ':', '=', '+', '*', '?', '!', '[', ']',
  'a', 'Z', '0', 'é', '\u202e', '\u0000',
];
/** Hostile values, each wrapped in markers so every token that holds part of it can be found. */
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 14 }).map((p) => `${START}${p.join('')}${END}`);
/** Plain values too: these must reach the commands (else the test would prove nothing). */
const plain = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/).map((s) => `${START}${s}${END}`);

const INERT = /^[A-Za-z0-9_][A-Za-z0-9._:/+=@-]*$/;
const NATIVE = /^(certutil|netsh|nslookup|openssl|curl|certreq|reg|psexec|w32tm|net|dir|printf)$/i;
const STATEMENT_BREAK = new Set([';', '|', '&&', '||', '{', '(', '@(', '@{', '}', ')']);

interface Seen {
  /** Tokens that held the value (or a value derived from it). */
  holders: Token[];
}

/** Asserts the rules for one command and one value; returns the tokens holding it. */
function assertInert(cmd: string, value: string): Seen {
  let tokens: Token[];
  try {
    tokens = tokenize(cmd);
  } catch (e) {
    throw new Error(`the command does not tokenize (a value broke its syntax): ${(e as Error).message}\n${cmd}`);
  }
  const holders: Token[] = [];
  let start = true;
  let native = false;
  for (const t of tokens) {
    if (t.kind === 'newline' || (t.kind === 'operator' && STATEMENT_BREAK.has(t.raw))) {
      start = true;
      continue;
    }
    if (start) {
      native = t.kind === 'word' && NATIVE.test(t.raw);
      start = false;
    }
    if (!t.raw.includes(START) && !t.raw.includes(END)) continue;
    holders.push(t);
    const where = `${JSON.stringify(t)} in\n${cmd}`;
    if (t.kind === 'literal' && !native) {
      // One literal holds the whole value (apostrophes doubled once more for an AD filter), or a name made from it.
      const v = t.value!;
      const whole = [value, value.replace(/'/g, "''"), value.toUpperCase()].some((x) => v.includes(x));
      // A name made from the value (a file name from a CA name) keeps both markers in one literal of inert characters.
      const derived = v.includes(START) && v.includes(END) && /^[A-Za-z0-9._:\\ -]*$/.test(v);
      expect(whole || derived, `literal does not hold the whole value: ${where}`).toBe(true);
    } else if (t.kind === 'word') {
      expect(t.mixed, `value glued into a word: ${where}`).toBeUndefined();
      expect(INERT.test(t.raw), `a word holding the value is not inert: ${where}`).toBe(true);
      expect(t.raw.includes(START) && t.raw.includes(END), `the value is split over several words: ${where}`).toBe(true);
    } else {
      throw new Error(`the value reached a ${t.kind} token${native ? ' on a native command line' : ''}: ${where}`);
    }
  }
  return { holders };
}

type Builder = (v: string) => (string | undefined | { command?: string } | { command?: string }[])[];
const commandsOf = (xs: ReturnType<Builder>): string[] =>
  xs.flat().flatMap((x) => (typeof x === 'string' ? [x] : x && typeof x === 'object' && x.command ? [x.command] : []));

const entry = (v: string) => ({ fileName: v, ref: 'c1' }) as CertEntry;
const caValues = (v: string) => ({ authorityType: 1 as const, file: v, crlUrl: v, deltaCrlUrl: v, displayName: v, thumbprint: v, expiration: v, ski: v });
const trustedTarget = (v: string, registered: boolean): Target => ({
  // A DN's CN ends at a comma; without one the whole value is the CN the command names its file after.
  ca: `CN=${v.replace(/,/g, ' ')}`,
  registered: registered
    ? ({ authorityType: 'RootAuthority', authorityTypeRaw: v, crlDistributionPoint: `http://${v}`, deltaCrlDistributionPoint: null, issuer: v, ski: v } as unknown as Target['registered'])
    : null,
  expectedType: 'IntermediateAuthority',
  expectedCrl: [v],
  status: 'fail',
  problems: ['CRL URL is LDAP', 'expired'],
  notAfter: null,
});

/** Every builder, with the value put in every place it takes one. `reaches`: a plain value must show up in a command. */
const BUILDERS: [string, Builder, { reaches: boolean }][] = [
  ['psLiteral', (v) => [`Write-Output ${psLiteral(v)}`], { reaches: true }],
  ['psQuote (re-export)', (v) => [`Resolve-DnsName ${psQuote(v)}`, `Invoke-WebRequest -Uri ${psQuote(v)} -OutFile issuer.cer`], { reaches: true }],
  ['psArg', (v) => [`Get-Thing -Name ${psArg(v)}`], { reaches: true }],
  ['psArray', (v) => [`Set-Thing -List ${psArray([v, 'x', v])}`], { reaches: true }],
  ['adFilter', (v) => [adFilter("mail -eq '{0}'", [v]) && `Get-ADUser -Filter ${adFilter("mail -eq '{0}'", [v])}`], { reaches: true }],
  ['cert.san-upn compareWithDirectory', (v) => [compareWithDirectory(v)], { reaches: true }],
  ['cert.san-upn checkProxyAddresses', (v) => [checkProxyAddresses(v)], { reaches: true }],
  ['cert.user-ids', (v) => [addCertificateUserIdCommand(v, v)], { reaches: true }],
  ['chain.authority-types legacy', (v) => [legacyCaCommand(caValues(v))], { reaches: true }],
  ['chain.authority-types graph', (v) => [graphCaCommand(caValues(v))], { reaches: true }],
  ['chain fileOf + certutil -verify', (v) => [certutilVerifyUrlfetch(fileOf(entry(v)))], { reaches: true }],
  ['crl downloadCommand', (v) => [downloadCommand(v)], { reaches: true }],
  ['certutil -verify -urlfetch', (v) => [certutilVerifyUrlfetch(v)], { reaches: true }],
  ['certutil -dump', (v) => [certutilDump(v)], { reaches: true }],
  ['certutil -addstore', (v) => [certutilAddStore('CA', v), certutilAddStore('Root', fileNameFrom(v))], { reaches: true }],
  ['certutil -delstore', (v) => [certutilDelStore('Root', v)], { reaches: false }],
  ['certutil -revoke unrevoke', (v) => [certutilUnrevoke(v)], { reaches: false }],
  ['nslookup', (v) => [nslookup(v), nslookup(v, v)], { reaches: true }],
  ['openssl s_client', (v) => [opensslSClient(v, 443, '-showcerts')], { reaches: true }],
  ['Test-NetConnection', (v) => [testNetConnection(v, 49443)], { reaches: true }],
  ['netsh show sslcert', (v) => [netshShowSslcert(v, 443)], { reaches: true }],
  ['curl status', (v) => [curlStatus(v)], { reaches: true }],
  ['config.server-stores addToStore', (v) => [addToStore('Root', v), addToStore('CA', v)], { reaches: true }],
  ['config.server-stores moveToIntermediate', (v) => [moveToIntermediate(v, v), moveToIntermediate(v, '6100000002a1')], { reaches: true }],
  ['config.certutil resolveHosts', (v) => [resolveHosts([v]), resolveHosts(['crl.contoso.com', v])], { reaches: true }],
  ['config.sslcert', (v) => [
    sslcertFix({ endpointType: 'hostnameport', endpoint: v, hash: v, appid: v, store: v, recreate: true }),
    sslcertFix({ endpointType: 'ipport', endpoint: `${v}:443`, hash: 'ab'.repeat(20), appid: '{5d89a20c-beab-4389-9447-324788eb944a}', store: 'MY', recreate: false }),
  ], { reaches: true }],
  ['config.urlacl removeReservation', (v) => [removeReservation(v)], { reaches: true }],
  ['config.cert-provider', (v) => [`Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider ${providerList([v, 'FormsAuthentication'])}`], { reaches: true }],
  ['config.prompt-login', (v) => [mgPromptLoginCommand(v, v), mgPromptLoginCommand(v, undefined), msolPromptLoginCommand(v, v, '$true')], { reaches: true }],
  ['config.trusted-cas', (v) => [trustedCaFixes([trustedTarget(v, false), trustedTarget(v, true)])], { reaches: true }],
  ['config.claim-rules', (v) => [addRulesCommand({ get: 'Get-AdfsClaimsProviderTrust', set: 'Set-AdfsClaimsProviderTrust', property: 'AcceptanceTransformRules' }, v, `@RuleName = "${v}"\n${v}\n'@\n${v}`)], { reaches: true }],
  ['realm.sts-host', (v) => [federationSettingsCommand(v)], { reaches: true }],
];

describe('the PowerShell tokenizer of this test', () => {
  it('sees a break-out when there is one (so the property below can fail)', () => {
    const v = `${START}a'; calc; '${END}`;
    expect(() => assertInert(`Get-ADUser -Filter "mail -eq '${v}'"`, v)).toThrow(/expandable/);
    expect(() => assertInert(`Get-MgUser -UserId '${v.replace(/'/g, "''")}'`, v)).not.toThrow();
    // The old quoting doubled only the ASCII apostrophe: a typographic quote ended the literal.
    const curly = `${START}a\u2019;calc;\u2019${END}`;
    expect(() => assertInert(`Get-MgUser -UserId '${curly.replace(/'/g, "''")}'`, curly)).toThrow();
    expect(() => assertInert(`Get-MgUser -UserId ${psLiteral(curly)}`, curly)).not.toThrow();
    // On a native line, single quotes protect nothing.
    expect(() => assertInert(`certutil -dump ${psLiteral(`${START}a&calc${END}`)}`, `${START}a&calc${END}`)).toThrow(/native/);
    expect(tokenize("'a''b' 'c\u2019\u2019d'").map((t) => t.value)).toEqual(["a'b", 'c\u2019d']);
  });
});

describe('every command builder keeps hostile values inert', () => {
  for (const [name, build, o] of BUILDERS) {
    it(name, () => {
      fc.assert(
        fc.property(hostile, (v) => {
          for (const cmd of commandsOf(build(v))) assertInert(cmd, v);
        }),
        { numRuns: 300 },
      );
      // Plain values do reach the command, through the same rules.
      let reached = 0;
      fc.assert(
        fc.property(plain, (v) => {
          for (const cmd of commandsOf(build(v))) reached += assertInert(cmd, v).holders.length;
        }),
        { numRuns: 30 },
      );
      if (o.reaches) expect(reached).toBeGreaterThan(0);
    });
  }
});
