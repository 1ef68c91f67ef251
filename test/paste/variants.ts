// Test helpers: the sample outputs as consoles and people really produce them (other console widths,
// CRLF, prompts, blank lines, extra properties, several outputs in one paste). Independent of the
// parsers: the Format-List re-wrapper knows the width the samples were printed at (120 columns).
import { readFileSync } from 'node:fs';

export const SAMPLE_DIR = 'test/fixtures/paste';
export const SAMPLE_CONSOLE_WIDTH = 120;

export function sample(name: string): string {
  return readFileSync(`${SAMPLE_DIR}/${name}`, 'utf8');
}

/** The command that printed each sample (README of the samples). */
export const SAMPLE_COMMANDS: Record<string, string> = {
  'adfs-auth-provider': 'Get-AdfsAuthenticationProvider',
  'msol-federation': 'Get-MsolDomainFederationSettings -DomainName contoso.com | Format-List *',
  'mg-federation': 'Get-MgDomainFederationConfiguration -DomainId contoso.com | Format-List',
  'netsh-urlacl': 'netsh http show urlacl',
  'netsh-sslcert': 'netsh http show sslcert',
  'certutil-urlfetch': 'certutil -verify -urlfetch usercert.cer',
  'trusted-ca': 'Get-AzureADTrustedCertificateAuthority',
  'verifystore-root': 'certutil -verifystore root',
};

export interface FlProp {
  name: string;
  value: string;
}

/** Undoes Format-List wrapping of output printed at `width` columns. */
export function unwrapFormatList(text: string, width = SAMPLE_CONSOLE_WIDTH): FlProp[][] {
  const records: FlProp[][] = [];
  let rec: FlProp[] = [];
  let prevLen = 0;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (!line.trim()) {
      if (rec.length) records.push(rec);
      rec = [];
      continue;
    }
    const m = /^(\S[^:]*?)\s*:(?: (.*))?$/.exec(line);
    if (m && !/^\s/.test(line)) rec.push({ name: m[1], value: m[2] ?? '' });
    else if (rec.length) rec[rec.length - 1].value += (prevLen >= width - 1 ? '' : ' ') + line.trim();
    prevLen = line.length;
  }
  if (rec.length) records.push(rec);
  return records;
}

/** Prints records the way Format-List does at a console `width` columns wide. */
export function wrapFormatList(records: FlProp[][], width: number, eol = '\n'): string {
  const out: string[] = [];
  for (const rec of records) {
    const nameW = Math.max(...rec.map((p) => p.name.length));
    for (const p of rec) {
      const prefix = `${p.name.padEnd(nameW)} :`;
      if (!p.value) {
        out.push(prefix);
        continue;
      }
      const col = prefix.length + 1;
      const avail = Math.max(10, width - 1 - col);
      const lines: string[] = [];
      let cur = '';
      for (const word of p.value.split(' ')) {
        if (cur && cur.length + 1 + word.length <= avail) {
          cur += ` ${word}`;
          continue;
        }
        if (cur) lines.push(cur);
        cur = word;
        while (cur.length > avail) {
          lines.push(cur.slice(0, avail));
          cur = cur.slice(avail);
        }
      }
      if (cur) lines.push(cur);
      out.push(`${prefix} ${lines[0] ?? ''}`.trimEnd(), ...lines.slice(1).map((l) => `${' '.repeat(col)}${l}`));
    }
    out.push('');
  }
  return out.join(eol);
}

export function rewrap(text: string, width: number): string {
  return wrapFormatList(unwrapFormatList(text), width);
}

export const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n');

/** Blank lines before and after, and every blank line doubled. */
export const moreBlankLines = (t: string) => `\n\n${t.replace(/\n\n/g, '\n\n\n')}\n\n\n`;

export function withPrompt(text: string, command: string, style: 'ps' | 'cmd' = 'ps'): string {
  const prompt = style === 'ps' ? 'PS C:\\Users\\admin> ' : 'C:\\Windows\\system32>';
  return `${prompt}${command}\n\n${text.replace(/\n*$/, '')}\n\n${style === 'ps' ? 'PS C:\\Users\\admin>' : 'C:\\Windows\\system32>'}`;
}

/** Format-List records with extra properties, as remoting adds them (Invoke-Command). */
export function withExtraProperties(text: string): string {
  const recs = unwrapFormatList(text).map((r) => [
    ...r,
    { name: 'PSComputerName', value: 'ADFS01.contoso.com' },
    { name: 'RunspaceId', value: '6f0d1d52-2c3b-4c9e-9a3e-2f1f0c1b7d11' },
    { name: 'PSShowComputerName', value: 'True' },
  ]);
  return wrapFormatList(recs, SAMPLE_CONSOLE_WIDTH);
}

export function lowerCaseNames(text: string): string {
  return wrapFormatList(unwrapFormatList(text).map((r) => r.map((p) => ({ ...p, name: p.name.toLowerCase() }))), SAMPLE_CONSOLE_WIDTH);
}

/** "Name      : value" aligned with a tab instead of spaces (pastes through some editors). */
export const tabs = (t: string) => t.replace(/^(\S[^:\n]*?) {2,}:/gm, '$1\t:');
