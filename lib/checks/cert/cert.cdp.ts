import type { Status } from '@/lib/report/schema';
import type { CheckDef } from '../types';
import { appliesToUser, certRef, KB_URL, userEntry } from './common';

type Scheme = 'http' | 'https' | 'ldap' | 'file' | 'other';

function schemeOf(url: string): Scheme {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  const s = m?.[1].toLowerCase();
  return s === 'http' || s === 'https' || s === 'ldap' || s === 'file' ? s : s === 'ldaps' ? 'ldap' : 'other';
}

const PUBLISH_HTTP_CDP = {
  text: 'On the issuing CA, publish the CRL to a web server reachable from the Internet and put that http:// URL in the CDP of the certificates it issues (Certification Authority console > CA Properties > Extensions tab > CRL Distribution Point (CDP) > Add, tick "Include in the CDP extension of issued certificates"), or from an elevated prompt on the CA (%3 = CA name, %8 = CRL name suffix, %9 = delta CRL allowed; keep the other entries you need). Then re-issue the user certificate: the CDP is written at issuance.',
  command:
    'certutil -setreg CA\\CRLPublicationURLs "1:%WINDIR%\\system32\\CertSrv\\CertEnroll\\%3%8%9.crl\\n2:http://<pki-host>/CertEnroll/%3%8%9.crl" && net stop certsvc && net start certsvc',
};

export const certCdp: CheckDef = {
  id: 'cert.cdp',
  category: 'cert',
  title: 'User certificate names an HTTP CRL location',
  description:
    'The CRL Distribution Points extension tells AD FS, the Web Application Proxy and devices where to check whether the certificate was revoked. That location must be an http:// URL reachable from where the check runs; LDAP and file: paths only work inside the corporate network, and Entra ID fetches CRLs over HTTP.',
  citation: 'KB 4032987 (CRL endpoints must be reachable from the Internet); Entra CBA FAQ and limitations (CDP: HTTP URLs only, no LDAP); CHECKS.md cert.cdp',
  sources: [
    { key: 'E-FAQ', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/certificate-based-authentication-faq', says: 'CRL distribution points must be HTTP URLs' },
    { key: 'E-LIM', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-limitations', says: 'LDAP CRL locations are not supported' },
  ],
  reference: KB_URL,
  // The HTTPS-only verdict depends on the target, which realm discovery may settle.
  needs: ['user', 'realm'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const c = e.cert;
    const target = a.target;
    const points = (c.cdp ?? []).map((dp) => ({
      urls: dp.urls.map((url) => ({ url, scheme: schemeOf(url) })),
      directoryNames: (dp.fullName ?? []).filter((g) => g.type === 'dirName').map((g) => g.value),
      crlIssuer: dp.crlIssuer?.map((g) => g.value) ?? null,
    }));
    const all = points.flatMap((p) => p.urls);
    const http = all.filter((u) => u.scheme === 'http');
    const https = all.filter((u) => u.scheme === 'https');
    const internalOnly = all.filter((u) => u.scheme === 'ldap' || u.scheme === 'file');
    const evidence = {
      certificate: certRef(e),
      target,
      distributionPoints: points,
      freshestCrl: (c.freshestCrl ?? []).flatMap((dp) => dp.urls),
    };
    if (!c.cdp) {
      return {
        status: 'fail',
        summary: 'The certificate has no CRL Distribution Points extension, so nobody can find out whether it was revoked; AD FS and Entra ID reject it when revocation checking is on.',
        evidence,
        remediation: [PUBLISH_HTTP_CDP],
      };
    }
    if (http.length) {
      return { status: 'pass', summary: `The certificate names ${http.length} http:// CRL location(s): ${http.map((u) => u.url).join(', ')}.`, evidence };
    }
    if (https.length) {
      // HTTPS works for AD FS; Entra fetches CRLs over plain HTTP (E-FAQ, E-LIM: fail); unknown warns (the stricter rule as warn).
      const status: Status = target === 'adfs' ? 'pass' : target === 'entra' ? 'fail' : 'warn';
      const urls = https.map((u) => u.url).join(', ');
      if (status === 'pass') return { status, summary: `The certificate names only HTTPS CRL location(s) (${urls}); AD FS can use them.`, evidence };
      return {
        status,
        summary: `The certificate names only HTTPS CRL location(s) (${urls}); Entra ID expects http:// CRL URLs${target === 'unknown' ? ' (the target is not known, so the Entra rule applies)' : ''}.`,
        evidence,
        remediation: [{ text: 'Publish the CRL over plain http:// as well (a CRL is signed, so it needs no TLS) and add that URL to the CDP.', command: PUBLISH_HTTP_CDP.command }],
      };
    }
    const what = internalOnly.length
      ? `only ${[...new Set(internalOnly.map((u) => u.scheme))].join(' and ')} location(s) (${internalOnly.map((u) => u.url).join(', ')}), which devices and cloud services on the Internet cannot reach`
      : 'no URL at all (only directory names)';
    // LDAP and file: locations are no use to Entra ID (E-LIM: LDAP not supported): a fail for entra.
    return {
      status: target === 'entra' ? 'fail' : 'warn',
      summary: `The CRL Distribution Points extension holds ${what}${target === 'entra' ? '; Entra ID uses only HTTP CRL locations' : ''}.`,
      evidence,
      remediation: [PUBLISH_HTTP_CDP],
    };
  },
};
