import type { Status } from '@/lib/report/schema';
import type { Remediation } from '@/lib/report/schema';
import { crlTargets, urlScheme, type CrlTarget } from '@/lib/net/crl-targets';
import { ENTRA_CRL_URL } from '@/lib/net/crl-report';
import type { Target } from '@/lib/report/schema';
import { worst, type CheckDef } from '../types';
import { CRL_LOCATION_PREREQUISITES } from './prerequisites';

function judge(t: CrlTarget, target: Target): { status: Status; note: string } {
  const schemes = t.cdpUrls.map(urlScheme);
  const firstHttp = schemes.indexOf('http');
  if (firstHttp >= 0) {
    const before = schemes.slice(0, firstHttp).filter((s) => s !== 'http');
    if (before.length)
      return {
        status: 'info',
        note: `An HTTP URL is listed, but after ${before.join(' and ')} URL(s): Windows tries them in order, so each unreachable one ahead of it adds a delay.`,
      };
    const others = schemes.filter((s) => s !== 'http');
    return { status: 'pass', note: others.length ? `HTTP URL first; the ${others.join('/')} URL(s) after it are not needed for sign-in.` : 'HTTP URL.' };
  }
  if (schemes.includes('https'))
    return target === 'entra'
      ? { status: 'fail', note: 'Only HTTPS: Entra ID fetches CRLs over plain HTTP (its FAQ and limitations pages say HTTP only; its CRL page recommends HTTP), so it may have no CRL for this CA.' }
      : { status: 'warn', note: 'Only HTTPS: CRLs are normally published over plain HTTP, because checking the HTTPS server certificate can itself need a CRL; Entra ID uses HTTP only.' };
  if (schemes.includes('ldap'))
    return target === 'entra'
      ? { status: 'fail', note: 'Only LDAP: Entra ID does not use LDAP CRL locations, so it has no CRL for this CA.' }
      : { status: 'warn', note: 'Only LDAP: reachable from domain-joined AD FS servers, but not from the Web Application Proxy, devices on the Internet or Entra ID.' };
  if (schemes.includes('file'))
    return target === 'entra'
      ? { status: 'fail', note: 'Only file: paths, which nothing outside the CA network can read.' }
      : { status: 'warn', note: 'Only file: paths: readable at best inside the network, never by devices on the Internet or Entra ID.' };
  if (!t.cdpUrls.length) return { status: 'fail', note: 'The certificate has no CRL distribution point URL at all.' };
  return { status: 'fail', note: `No usable CRL URL (${t.cdpUrls.join(', ')}).` };
}

export const crlLocation: CheckDef = {
  id: 'crl.location',
  category: 'crl',
  title: 'CRL locations are HTTP URLs',
  description:
    'Each certificate in the path (except the root) names where the CRL of the CA that issued it is published. AD FS, the Web Application Proxy, devices and Entra ID must all be able to download it, which in practice means a plain http:// URL reachable from the Internet; LDAP and file paths only work inside the network.',
  citation: 'KB 4032987 (CRL endpoints must be reachable from the Internet); Entra CBA FAQ and limitations (CRL URLs: HTTP only, no LDAP); Entra CBA CRL page (HTTPS allowed, HTTP recommended: the stricter reading fails HTTPS-only for entra)',
  sources: [
    { key: 'E-FAQ', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/certificate-based-authentication-faq', says: 'CRL distribution points must be HTTP URLs' },
    { key: 'E-LIM', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-limitations', says: 'LDAP CRL locations and OCSP are not supported' },
    { key: 'E-CRL', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificate-revocation-list', says: 'HTTPS is allowed but HTTP is recommended' },
  ],
  reference: ENTRA_CRL_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'realm'],
  prerequisites: CRL_LOCATION_PREREQUISITES,
  applies: (a) => (a.chain?.path.length ? true : 'No certificate chain was built, so there are no CRL locations to look at.'),
  run(a) {
    const targets = crlTargets(a.chain);
    if (!targets.length) return { status: 'skip', summary: 'The path holds only a root certificate; roots are not checked against a CRL.' };
    const rows = targets.map((t) => {
      const j = judge(t, a.target);
      return {
        certificate: t.cert.cert.subject.display,
        ref: t.cert.ref,
        ca: t.caName,
        urls: t.cdpUrls.map((url) => ({ url, scheme: urlScheme(url) })),
        status: j.status,
        note: j.note,
      };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = { target: a.target, certificates: rows };
    // One part per certificate, so a failure cert.cdp already reports (the user certificate's) is not counted twice.
    const parts = rows.map((r) => ({ key: r.ref, label: r.certificate, status: r.status, reason: r.note }));
    const bad = rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    if (!bad.length) {
      return {
        status,
        summary:
          status === 'info'
            ? `Every certificate names an HTTP CRL URL, but some list other locations ahead of it (${rows.filter((r) => r.status === 'info').map((r) => r.certificate).join('; ')}).`
            : `Every certificate in the path names an HTTP CRL URL (${rows.length} checked).`,
        evidence,
        remediation:
          status === 'info'
            ? [{ text: 'On the CA, list the HTTP location first in the CDP extension (order of the CRLPublicationURLs entries with flag 2), then renew the affected certificates.', command: 'certutil -getreg CA\\CRLPublicationURLs' }]
            : [],
        parts,
      };
    }
    const remediation: Remediation[] = [
      {
        text: `Publish each CA's CRL on a web server reachable from the Internet and add that http:// URL to the CDP extension of the certificates it issues. On an AD CS CA (replace the host name; 65 = publish base and delta CRLs to the local folder, 6 = put the URL into issued certificates and into the CRLs):`,
        command: 'certutil -setreg CA\\CRLPublicationURLs "65:%windir%\\system32\\CertSrv\\CertEnroll\\%3%8%9.crl\\n6:http://pki.contoso.com/CertEnroll/%3%8%9.crl"',
      },
      { text: 'Restart the CA service and publish a new CRL, then copy the CertEnroll folder to the web server.', command: 'net stop certsvc && net start certsvc && certutil -crl' },
      { text: 'Certificates issued before the change keep their old CDP: renew them (the user certificate, and the intermediate CA certificate if its CDP is the problem).' },
    ];
    if (a.target !== 'adfs')
      remediation.push({ text: 'In Entra ID, register the CRL URL on each trusted certificate authority (crlDistributionPoint); Entra uses that URL, not the one in the certificate.' });
    return {
      status,
      summary: `${bad.length} of ${rows.length} certificate(s) have no plain HTTP CRL URL: ${bad.map((r) => `${r.certificate} (${r.note})`).join(' ')}`,
      evidence,
      remediation,
      parts,
    };
  },
};
