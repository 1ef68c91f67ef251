import { fix, nslookup } from '@/lib/commands/windows';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { PasteBlockOf } from '@/lib/paste/types';
import { hostOfUrl } from '@/lib/paste/text';
import { blocksOf, lineAt, origin, pasted, said } from './common';

const GOOD_STATUS = /^(verified|ok|no urls)$/i;
/** "CN=Alice Smith, OU=Users, ..." → "CN=Alice Smith": enough to tell the chain elements apart in a sentence. */
const shortName = (dn: string | null | undefined) => (dn ? dn.split(/,\s*/)[0] : null);

function judge(b: PasteBlockOf<'certutil-urlfetch'>) {
  const d = b.data;
  const badUrls = d.elements.flatMap((e) =>
    e.urls.filter((u) => !GOOD_STATUS.test(u.status)).map((u) => ({ element: e.index, certificate: e.subject, ...u })),
  );
  const problems: string[] = [];
  for (const u of badUrls)
    problems.push(`${u.status} "${u.label}" in ${u.section} of ${shortName(u.certificate) ?? `element ${u.element}`}${u.urls.length ? ` for ${u.urls.join(', ')}` : ''} (${lineAt(u.line, b)})${u.error ? `: ${u.error}` : ''}`);
  for (const c of d.chainErrors) problems.push(`chain error ${c.value} (${lineAt(c.line, b)})`);
  for (const e of d.errors) problems.push(said(e, b));
  const finalOk = d.completedSuccessfully;
  let status: Status;
  let summary: string;
  const who = shortName(d.subject ?? d.elements[0]?.subject) ?? 'the certificate';
  if (problems.length || (d.finalLine && !finalOk)) {
    status = 'fail';
    if (d.finalLine && !finalOk && !d.errors.some((e) => e.line === d.finalLine!.line)) problems.push(said(d.finalLine, b));
    summary = `certutil could not fully verify ${who}: ${problems.join('; ')}${d.finalLine && finalOk ? ` — even though the last line says "${d.finalLine.value}" (${lineAt(d.finalLine.line, b)})` : ''}`;
  } else if (finalOk || d.leafRevocationPassed) {
    status = 'pass';
    const n = d.elements.flatMap((e) => e.urls).filter((u) => /^(verified|ok)$/i.test(u.status)).length;
    summary = `certutil verified the chain and revocation of ${who} (${n} URL${n === 1 ? '' : 's'} fetched and verified${d.leafRevocationPassed ? ', leaf revocation check passed' : ''}${d.finalLine ? `, ${said(d.finalLine, b)}` : ''})`;
  } else {
    status = 'info';
    summary = `the pasted certutil output of ${who} shows no failure but ends before certutil's verdict, so it cannot confirm the chain and revocation were verified`;
  }
  return { b, status, summary, badUrls };
}

/** Remediation: test name resolution of the CRL/AIA hosts (host names from a paste reach the line only when inert). */
export function resolveHosts(hosts: string[]): Remediation {
  const text = `The server could not resolve ${hosts.length ? hosts.join(', ') : 'the CRL/AIA host'}: fix DNS (or the proxy) for the AD FS service account and, on Web Application Proxy, for the computer account. Test name resolution from the server:`;
  if (!hosts.length) return { text, command: 'nslookup <crl-host>' };
  const lines = hosts.map((h) => nslookup(h));
  const bad = hosts.find((_, i) => !lines[i]);
  return bad === undefined ? { text, command: lines.join('\n') } : fix(text, undefined, 'a host name', bad);
}

function remediation(judged: ReturnType<typeof judge>[]): Remediation[] {
  const out: Remediation[] = [];
  const data = judged.map((j) => j.b.data);
  const urlErrors = judged.flatMap((j) => j.badUrls);
  const allText = [...urlErrors.map((u) => u.error ?? ''), ...data.flatMap((d) => [...d.errors.map((e) => e.text), ...d.chainErrors.map((c) => c.value)])].join('\n');
  const hosts = [...new Set(urlErrors.flatMap((u) => u.urls.map((x) => hostOfUrl(x)).filter((h): h is string => !!h)))];
  if (/0x80072ee7|NAME_NOT_RESOLVED/i.test(allText))
    out.push(resolveHosts(hosts));
  if (urlErrors.length && /0x80072ee2|0x80072efd|0x80072efe|TIMEOUT|CANNOT_CONNECT/i.test(allText))
    out.push({ text: 'The CRL/AIA server did not answer: open the firewall or proxy for HTTP (port 80) from the AD FS and WAP servers. Check the WinHTTP proxy the service uses:', command: 'netsh winhttp show proxy' });
  if (/REVOKED/i.test(allText)) out.push({ text: 'A certificate of the chain is revoked: issue a new certificate to the user (or renew the revoked CA).' });
  if (/UNTRUSTED_ROOT|CERT_E_UNTRUSTEDROOT/i.test(allText))
    out.push({ text: "The chain ends in a root the server does not trust: add the user's root CA to the computer's Trusted Root store on every AD FS and WAP server:", command: 'certutil -addstore -f Root "<root CA>.cer"' });
  if (/PARTIAL_CHAIN|CERT_E_CHAINING/i.test(allText))
    out.push({ text: 'The server could not build the chain: add the issuing (intermediate) CA certificates to the Intermediate store on every AD FS and WAP server:', command: 'certutil -addstore -f CA "<issuing CA>.cer"' });
  if (/REVOCATION_OFFLINE|revocation server was offline|OFFLINE_REVOCATION|REVOCATION_STATUS_UNKNOWN/i.test(allText))
    out.push({ text: 'Revocation could not be checked because a CRL was unreachable or expired: make every CDP URL of the chain reachable from the servers and publish a current CRL.' });
  out.push({
    text: 'After the fix, re-run the test as the system account (the AD FS service does not run as you), as the KB describes: start a SYSTEM prompt with psexec, then verify the user certificate again:',
    command: 'psexec -s -i -d cmd.exe\ncertutil -verify -urlfetch usercert.cer',
  });
  return out;
}

export const configCertutil: CheckDef = {
  id: 'config.certutil',
  category: 'config',
  title: 'Servers can verify the user certificate (certutil)',
  description:
    'certutil -verify -urlfetch, run on an AD FS or Web Application Proxy server, shows whether that server can build the chain and fetch every AIA and CRL URL. A failed or expired URL or an ERROR line means certificate sign-in can fail on that server, even when certutil ends with "completed successfully".',
  citation: 'KB 4032987 (Determine if the ADFS and Web Application Proxy configurations are configured correctly, step 3); CHECKS.md config.certutil',
  reference: 'https://learn.microsoft.com/troubleshoot/azure/active-directory/certificate-based-authenticate-issue',
  needs: ['paste'],
  applies: pasted('certutil-urlfetch'),
  run(a): Outcome {
    const judged = blocksOf(a, 'certutil-urlfetch').map(judge);
    const status = worst(judged.map((j) => j.status));
    const evidence = {
      outputs: judged.map((j) => ({
        ...origin(j.b),
        certificate: j.b.data.subject,
        serial: j.b.data.serial,
        chain: j.b.data.elements.map((e) => ({
          element: e.index,
          subject: e.subject,
          issuer: e.issuer,
          thumbprint: e.thumbprint,
          errorFlags: e.errorFlags,
          urls: e.urls.map((u) => ({ section: u.section, status: u.status, label: u.label, urls: u.urls, error: u.error, line: u.line, text: u.text })),
        })),
        chainErrors: j.b.data.chainErrors,
        errors: j.b.data.errors,
        leafRevocationPassed: j.b.data.leafRevocationPassed,
        finalLine: j.b.data.finalLine,
        status: j.status,
      })),
    };
    const summary = judged.map((j) => `${j.summary}.`).join(' ');
    if (status === 'pass' || status === 'info') return { status, summary, evidence };
    return { status, summary, evidence, remediation: remediation(judged.filter((j) => j.status === 'fail')) };
  },
};
