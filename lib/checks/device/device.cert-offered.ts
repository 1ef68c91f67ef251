import type { Remediation } from '@/lib/report/schema';
import type { CheckDef, Outcome } from '../types';
import { applies, chainEvidence, ENTRA_DEEP_DIVE_URL, platformGuidance, platformName, REMEMBERED_CHOICE, TLS_INSPECTION } from './common';

export const deviceCertOffered: CheckDef = {
  id: 'device.cert-offered',
  category: 'device',
  title: 'This device offers a certificate when asked',
  description:
    "AD FS and Entra learn the user's certificate through a TLS client-certificate request, so the device must offer one. The certauth listener asked this device the same way and records what it presented: the certificate, the CA certificates sent with it, and the CA list the request named.",
  citation: 'Entra CBA technical deep dive (the certificate is requested during TLS on the certauth host); Entra sign-in error codes AADSTS50192 and AADSTS90100; CHECKS.md device.cert-offered',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['device'],
  applies,
  run(a): Outcome {
    const d = a.device!;
    const list = d.caList;
    const evidence = {
      via: d.via,
      answered: d.answered,
      presented: d.chain.length,
      chain: chainEvidence(d),
      caList: { names: list.names, bytes: list.bytes, dropped: list.dropped, source: list.source ?? null },
      tlsVersion: d.tlsVersion ?? null,
      resumed: d.resumed ?? false,
      platform: d.platform,
      browser: d.browser ?? null,
      userAgent: d.userAgent ?? null,
      notes: d.notes,
    };
    const leaf = d.chain[0];
    if (leaf) {
      const what = leaf.subject ? `${leaf.subject}, issued by ${leaf.issuer}` : `a certificate that could not be read (${leaf.fileName}, see input.files)`;
      const more = d.chain.length > 1 ? ` with ${d.chain.length - 1} CA certificate(s)` : '';
      const how = d.via === 'proxy-header' ? ' (read from the trusted proxy\'s header)' : '';
      const asked = list.names.length ? `, answering a request that named ${list.names.length} CA(s)` : '';
      return { status: 'pass', summary: `This device presented ${what}${more}${how}${asked}. The other checks ran on this certificate.`, evidence };
    }
    const summary = list.names.length
      ? `This device presented no certificate when asked for one issued under ${list.names.length} named CA(s) (${list.names.slice(0, 3).join('; ')}${list.names.length > 3 ? '; …' : ''}). Either it holds no certificate under those CAs, or the browser was not able to offer it. Test again with "any CA": if a certificate is offered then, it comes from a CA outside the list, which is what AD FS or Entra would see with that issuer list.`
      : `This device presented no certificate although the request named no CA, so any certificate it holds would have been offered (${platformName(d.platform)}${d.browser ? `, ${d.browser}` : ''}).`;
    const remediation: Remediation[] = [...platformGuidance(d.platform), REMEMBERED_CHOICE, TLS_INSPECTION];
    if (d.via === 'proxy-header')
      remediation.unshift({ text: 'The certificate was to come from the trusted proxy\'s header, which carried none: check that the proxy asks for client certificates (nginx: ssl_verify_client optional_no_ca) and forwards the header.' });
    return { status: 'fail', summary, evidence, remediation };
  },
};
