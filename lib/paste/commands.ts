// Prompt and command lines inside a paste. They split the paste into the outputs of separate commands
// and say which command produced each output (the only way to tell the two claim-rule trusts apart).
import type { ClaimTrust, PasteKind } from './types';

export interface CommandHint {
  /** The command as typed (without the prompt). */
  command: string;
  kind: PasteKind | null;
  /** claim-rules: which trust the command read. */
  trust?: ClaimTrust;
  trustName?: string;
  /** verifystore: the store argument. */
  store?: string;
}

// PowerShell (PS C:\>, PS>, [host]: PS C:\>), cmd (C:\Windows\system32>), and netsh's own prompt.
const PS_PROMPT = /^(?:\[[^\]]{1,100}\]:\s*)?PS(?: [^>]{0,260})?>\s?(.*)$/;
const CMD_PROMPT = /^[A-Za-z]:\\[^<>|"]{0,260}>\s?(.*)$/;
const NETSH_PROMPT = /^netsh(?: [a-z]{1,10}){0,3}>\s?(.*)$/i;
// A command typed on its own line, pasted without a prompt.
const BARE_COMMAND = /^\(?\s*(?:Get|Invoke|Connect|Import)-[A-Za-z]+\b|^(?:netsh(?:\.exe)?\s+(?:http|winhttp)\s+show\b|certutil(?:\.exe)?\s+(?:-[a-z]+\s+)*-(?:verify|store|viewstore)\b|reg(?:\.exe)?\s+query\s)/i;

// Cheap first look: almost no line of command output starts like a prompt or a command.
const MAYBE = /^\s*(?:PS\b|\[|[A-Za-z]:\\|netsh|>>|\(|Get-|Invoke-|Connect-|Import-|certutil|reg(?:\.exe)?\s+query\s)/i;

/** A cheaper first look than MAYBE, for the many lines of a hostile paste: false only where MAYBE fails too. */
function mayBeCommand(line: string): boolean {
  let i = 0;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  const c = line.charCodeAt(i);
  if (c < 32 || c >= 0x80) return true; // other white space or non-ASCII: MAYBE decides
  if (c === 91 || c === 62 || c === 40) return true; // [ > (
  const l = c | 0x20;
  if (l < 97 || l > 122) return false;
  // PS, netsh, Get-, Invoke-/Import-, Connect-/certutil, or a drive letter and ':'.
  return l === 112 || l === 110 || l === 103 || l === 105 || l === 99 || l === 114 || line.charCodeAt(i + 1) === 58;
}

/** The command on a prompt line ('' for a bare prompt), or null when the line is not a prompt or command line. */
export function commandOf(line: string): string | null {
  if (!mayBeCommand(line) || !MAYBE.test(line)) return null;
  const t = line.trim();
  if (t.length > 2000) return null;
  let m = PS_PROMPT.exec(t) ?? CMD_PROMPT.exec(t) ?? NETSH_PROMPT.exec(t);
  if (m) return m[1].trim();
  // PowerShell continuation prompt of a multi-line command.
  if (/^>>(\s|$)/.test(t)) return t.slice(2).trim();
  m = BARE_COMMAND.exec(t);
  // "Get-Something : value" would be Format-List output, not a command.
  if (m && !/^\S+\s+:\s/.test(t)) return t;
  return null;
}

function nameArg(cmd: string): string | undefined {
  const m = /-Name\s+(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(cmd);
  return m ? (m[1] ?? m[2] ?? m[3]).trim() : undefined;
}

// Every pattern of hintFor needs one of these words: a command that holds none of them says nothing, in one test.
const HINT_WORDS = /adfs|schannel|winhttp|msol|entra|domainfederation|federationConfiguration|urlacl|sslcert|certutil|TrustedCertificateAuthority|certificateBasedAuthConfiguration|certificateAuthorities|publicKeyInfrastructure/i;

export function hintFor(command: string): CommandHint {
  const c = command;
  const h: CommandHint = { command: c, kind: null };
  if (!HINT_WORDS.test(c)) return h;
  if (/Get-AdfsAuthenticationProvider/i.test(c)) h.kind = 'adfs-auth-provider';
  else if (/Get-AdfsProperties/i.test(c)) h.kind = 'adfs-properties';
  else if (/Get-AdfsSslCertificate/i.test(c)) h.kind = 'adfs-ssl-certificate';
  else if (/^reg(?:\.exe)?\s+query\s.*SecurityProviders\\SCHANNEL/i.test(c)) h.kind = 'reg-schannel';
  else if (/netsh(?:\.exe)?\s+winhttp\s+show\s+proxy|^winhttp\s+show\s+proxy|^show\s+proxy/i.test(c)) h.kind = 'winhttp-proxy';
  else if (/Get-MsolDomainFederationSettings|Get-EntraDomainFederationSettings/i.test(c)) h.kind = 'msol-federation';
  else if (/Get-Mg(?:Beta)?DomainFederationConfiguration|\/federationConfiguration/i.test(c)) h.kind = 'mg-federation';
  else if (/netsh(?:\.exe)?\s+http\s+show\s+urlacl|^show\s+urlacl/i.test(c)) h.kind = 'netsh-urlacl';
  else if (/netsh(?:\.exe)?\s+http\s+show\s+sslcert|^show\s+sslcert/i.test(c)) h.kind = 'netsh-sslcert';
  else if (/certutil(?:\.exe)?\b.*\s-(?:verifystore|store|viewstore)\b/i.test(c)) {
    h.kind = 'verifystore';
    const m = /-(?:verifystore|store|viewstore)\s+(?:-\S+\s+)*"?([A-Za-z]+)"?/i.exec(c);
    if (m) h.store = m[1];
  } else if (/certutil(?:\.exe)?\b.*\s-verify\b/i.test(c)) h.kind = 'certutil-urlfetch';
  else if (/TrustedCertificateAuthority|certificateBasedAuthConfiguration|certificateAuthorities|publicKeyInfrastructure/i.test(c)) h.kind = 'trusted-ca';
  else if (/Get-AdfsClaimsProviderTrust/i.test(c)) {
    h.kind = 'claim-rules';
    h.trust = 'claims-provider';
    h.trustName = nameArg(c);
  } else if (/Get-AdfsRelyingPartyTrust/i.test(c)) {
    h.kind = 'claim-rules';
    h.trust = 'relying-party';
    h.trustName = nameArg(c);
  }
  return h;
}
