import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import { bypassMatches } from '@/lib/paste/winhttp-proxy';
import { hostOfUrl } from '@/lib/paste/text';
import { blocksOf, chainCas, lineAt, said } from './common';

const CMD = 'netsh winhttp show proxy';
/** WinHTTP errors of a URL retrieval that mean "no route": name not resolved, cannot connect, timed out. */
const NO_ROUTE = /0x80072ee7|0x80072efd|0x80072ee2|0x80072efe|ERROR_WINHTTP_(NAME_NOT_RESOLVED|CANNOT_CONNECT|TIMEOUT)/i;

interface Finding {
  status: Status;
  text: string;
}

export const configWinHttpProxy: CheckDef = {
  id: 'config.winhttp-proxy',
  category: 'config',
  title: "The server's WinHTTP proxy lets it fetch the CRLs",
  description:
    "AD FS and Web Application Proxy check revocation through WinHTTP, the machine-wide HTTP stack of Windows services, which ignores the proxy set for browsers. A server without direct Internet access needs a WinHTTP proxy for the CRL URLs; a proxy bypass list that names the CRL host sends those downloads around the proxy.",
  citation: 'KB 4032987 (revocation checks from the AD FS and WAP servers); A-UCA (CAPI2 event 41, 0x80092013); CHECKS.md config.winhttp-proxy',
  reference: 'https://learn.microsoft.com/windows/win32/winhttp/netsh-exe-commands',
  needs: ['paste', 'chain'],
  applies: (a) =>
    blocksOf(a, 'winhttp-proxy').length ? true : a.paste ? `No output of ${CMD} was found in what was pasted.` : `Nothing was pasted (paste the output of ${CMD} to run this check).`,
  run(a): Outcome {
    const w = blocksOf(a, 'winhttp-proxy')[0];
    const d = w.data;
    // CRL URLs: the user's chain (uploaded), and the CDP URLs certutil -verify -urlfetch listed on this node.
    const certutil = blocksOf(a, 'certutil-urlfetch');
    const fromChain = (chainCas(a) ?? []).flatMap((c) => c.crlUrls);
    const attempts = certutil.flatMap((b) =>
      b.data.elements.flatMap((e) => e.urls.filter((u) => /CDP/i.test(u.section)).flatMap((u) => u.urls.filter((x) => /^https?:/i.test(x)).map((url) => ({ url, status: u.status, error: u.error, block: b, line: u.line })))),
    );
    const urls = [...new Set([...fromChain, ...attempts.map((x) => x.url)])];
    const hosts = [...new Set(urls.map(hostOfUrl).filter((h): h is string => !!h))];
    const failedHere = attempts.filter((x) => /fail/i.test(x.status) && NO_ROUTE.test(`${x.error ?? ''}`));
    const bypassed = d.bypassList ? hosts.filter((h) => d.bypassList!.value.some((e) => bypassMatches(e, h))) : [];
    const findings: Finding[] = [];
    const setProxy: Remediation = {
      text: 'Give WinHTTP the proxy this server must use for the CRL URLs (or copy the signed-in user\'s Internet settings with "netsh winhttp import proxy source=ie"), then run certutil -verify -urlfetch again:',
      command: 'netsh winhttp set proxy proxy-server="<proxy>:<port>" bypass-list="<local>"',
    };
    const fixes: Remediation[] = [];
    const failText = (xs: typeof failedHere) => xs.map((x) => `${x.url} (${lineAt(x.line, x.block)}: ${x.error ?? x.status})`).join('; ');

    if (d.direct?.value) {
      if (failedHere.length) {
        findings.push({ status: 'fail', text: `WinHTTP goes direct, with no proxy (${said(d.direct, w)}), and this server's own certutil -verify -urlfetch could not reach ${failText(failedHere)}: revocation checks fail here` });
        fixes.push(setProxy);
      } else
        findings.push({
          status: 'info',
          text: `WinHTTP goes direct, with no proxy (${said(d.direct, w)}). That works only if this server reaches ${hosts.length ? hosts.join(', ') : 'the CRL hosts'} directly on port 80; CBA Doctor cannot tell from here (it fetches CRLs from its own network, never through a proxy). Paste this server's certutil -verify -urlfetch output to have it judged`,
        });
    } else if (d.direct && d.proxyServer) {
      const base = `WinHTTP uses the proxy ${d.proxyServer.value} (${said(d.proxyServer, w)})`;
      if (bypassed.length) {
        const failedBypassed = failedHere.filter((x) => bypassed.includes(hostOfUrl(x.url) ?? ''));
        findings.push({
          status: failedBypassed.length ? 'fail' : 'warn',
          text: `${base}, but its bypass list (${said(d.bypassList!, w)}) sends ${bypassed.join(', ')} around it: the CRLs there are fetched directly${failedBypassed.length ? `, and this server's certutil could not reach ${failText(failedBypassed)}` : ', which fails if this server has no direct route to them'}`,
        });
        fixes.push({ text: `Remove ${bypassed.join(', ')} from the bypass list (keep the entries for internal names), e.g.:`, command: `netsh winhttp set proxy proxy-server="${/^[A-Za-z0-9.:[\]-]+$/.test(d.proxyServer.value) ? d.proxyServer.value : '<proxy>:<port>'}" bypass-list="<local>"` });
      } else if (failedHere.length) {
        findings.push({ status: 'fail', text: `${base}, and this server's certutil could not reach ${failText(failedHere)}: the proxy does not let these downloads through` });
      } else
        findings.push({ status: 'pass', text: `${base}${hosts.length ? `, and ${hosts.join(', ')} ${hosts.length === 1 ? 'is' : 'are'} not bypassed` : ''}; the proxy must allow the CRL URLs (CBA Doctor cannot test that from here)` });
    }
    if (!hosts.length) findings.push({ status: 'info', text: "No CRL URL is known (upload the user's certificate chain or paste certutil -verify -urlfetch), so no CRL host was compared with the proxy settings" });

    const status = worst(findings.map((x) => x.status), 'info');
    const evidence = {
      winhttp: d.direct?.value ? { mode: 'direct', line: d.direct.line } : { mode: 'proxy', proxyServer: d.proxyServer?.value ?? null, bypassList: d.bypassList?.value ?? [], line: d.proxyServer?.line ?? null },
      crlUrls: urls,
      crlHostsBypassed: bypassed,
      certutilOnThisServer: attempts.map((x) => ({ url: x.url, status: x.status, error: x.error, line: x.line })),
      basis:
        'CBA Doctor downloads CRLs from its own network without a proxy, so its own results say nothing about the route from this server; only the server\'s own certutil -verify -urlfetch output (pasted with the same server name) shows that.',
      findings: findings.map((x) => ({ status: x.status, finding: x.text })),
    };
    const summary = `${findings.map((x) => x.text).join('. ')}.`;
    return { status, summary, evidence, ...(fixes.length && status !== 'pass' && status !== 'info' ? { remediation: fixes } : {}) };
  },
};
