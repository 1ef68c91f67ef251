import type { Remediation } from '@/lib/report/schema';
import { isSelfSigned } from '@/lib/pki/chain/signature';
import type { CheckDef } from '../types';
import { psQuote } from '../cert/common';
import { appliesToChain, certId, fileOf, KB_URL } from './common';

export const chainBuild: CheckDef = {
  id: 'chain.build',
  category: 'chain',
  title: 'Certificate chain reaches a root',
  description:
    'AD FS, the Web Application Proxy and Entra ID must link the user certificate to a trusted root through every intermediate CA. The path is built from the uploaded certificates (and, online, from the AIA caIssuers URLs in the certificates), matching each authority key identifier to a subject key identifier and each issuer name to a subject name.',
  citation: 'RFC 5280 sections 4.2.1.1, 4.2.2.1 and 6.1; KB 4032987 (the issuing and root CA certificates must be trusted)',
  reference: KB_URL,
  needs: ['user', 'chain'],
  applies: appliesToChain,
  run(a) {
    const chain = a.chain!;
    const path = chain.path.map((e, i) => {
      const link = chain.links?.find((l) => l.ref === e.ref);
      const last = i === chain.path.length - 1;
      return {
        ...certId(e),
        role: i === 0 ? 'user' : last && chain.complete ? 'root' : 'intermediate',
        selfSigned: isSelfSigned(e.cert),
        issuedBy: link ? { ref: link.issuerRef, matchedBy: link.matchedBy, signatureVerified: link.signatureVerified, alternatives: link.alternatives } : null,
        status: last && chain.complete && e.source === 'aia' ? 'warn' : 'pass',
      };
    });
    const missing = chain.missing
      ? { issuer: chain.missing.issuer, keyId: chain.missing.keyId ?? null, aiaUrls: chain.missing.aiaUrls, status: 'fail' }
      : null;
    // RFC 4158: every candidate path was built and validated; the evidence lists them (chosen one first).
    const alternatives = (chain.candidates ?? []).map((c) => ({ path: c.refs, complete: c.complete, valid: c.valid, chosen: c.chosen, problems: c.problems }));
    const evidence = {
      complete: chain.complete,
      path,
      missing,
      rootSource: chain.rootSource ?? null,
      notes: chain.notes ?? [],
      offline: a.ctx.offline,
      pathsTried: chain.tried ?? 1,
      searchBounded: chain.truncated ?? false,
      alternatives,
    };
    const othersTried = Math.max(0, (chain.tried ?? 1) - 1);
    const tried = othersTried ? ` ${othersTried} other candidate path(s) were built and validated${chain.validation?.valid ? '' : ', none of them valid either'}.` : '';
    const names = chain.path.map((e) => `"${e.cert.subject.display}"`).join(' → ');

    if (!chain.complete) {
      const top = chain.path[chain.path.length - 1];
      const m = chain.missing!;
      const remediation: Remediation[] = [
        {
          text: `Upload the certificate of the CA "${m.issuer}"${m.keyId ? ` (subject key identifier ${m.keyId})` : ''} and every CA above it up to the root. On that CA you can export its certificate with:`,
          command: 'certutil -ca.cert issuing-ca.cer',
        },
      ];
      for (const url of m.aiaUrls) {
        remediation.push({ text: `The certificate says its issuer can be downloaded from ${url}:`, command: `Invoke-WebRequest -Uri ${psQuote(url)} -OutFile issuer.cer` });
      }
      if (!m.aiaUrls.length)
        remediation.push({ text: `"${top.cert.subject.display}" has no AIA caIssuers URL, so clients cannot fetch the missing CA certificate themselves: it must be installed on the AD FS/WAP servers (Intermediate Certification Authorities store) or registered in Entra ID.` });
      else if (a.ctx.offline) remediation.push({ text: 'Run the diagnosis without --offline to let the tool fetch the missing CA certificates from those AIA URLs.' });
      remediation.push({ text: 'On Windows, the same chain building can be checked with:', command: `certutil -verify -urlfetch ${fileOf(chain.path[0])}` });
      return {
        status: 'fail',
        summary: `The chain stops at "${top.cert.subject.display}": its issuer "${m.issuer}"${m.keyId ? ` (key id ${m.keyId})` : ''} is not among the certificates${m.aiaUrls.length ? `; its AIA points to ${m.aiaUrls.join(', ')}` : ' and it names no AIA location'}. Path so far: ${names}.${tried}`,
        evidence,
        remediation,
      };
    }
    const root = chain.path[chain.path.length - 1];
    if (root.source === 'aia') {
      return {
        status: 'warn',
        summary: `A path to a root was built (${names}), but the root "${root.cert.subject.display}" came only from the AIA URL ${root.url ?? ''}, not from the uploaded files. Make sure this root is the one your servers and Entra ID actually trust.`,
        evidence,
        remediation: [
          {
            text: 'Upload the root CA certificate your organisation trusts, so the diagnosis checks against it. On the root CA (or any machine that trusts it) export it from the Trusted Root Certification Authorities store, or on the CA run:',
            command: 'certutil -ca.cert root-ca.cer',
          },
        ],
      };
    }
    return {
      status: 'pass',
      summary: `A path of ${chain.path.length} certificate(s) was built to the self-signed root: ${names}.${tried}`,
      evidence,
    };
  },
};
