import type { CheckDef } from '../types';
import { psQuote } from '../cert/common';
import { chainCas } from '../config/common';
import { G_X509, PASTE, findCa, storeCas, tenantOf } from './common';

export const entraCrlRequired: CheckDef = {
  id: 'entra.crl-required',
  category: 'entra',
  title: '"Require CRL validation" has a CRL for every CA of the chain',
  description:
    'When the certificate method requires CRL validation, Entra ID fails sign-in for a certificate whose chain has a CA without a CRL URL in the trust store, unless that CA\'s SKI is on the exemption list.',
  citation: 'Graph x509CertificateCRLValidationConfiguration (state, exemptedCertificateAuthoritiesSubjectKeyIdentifiers)',
  reference: G_X509,
  needs: ['entra', 'chain'],
  applies(a) {
    const t = tenantOf(a);
    if (!t?.method) return PASTE.method();
    if (!t.pkiStore && !t.classicStore) return PASTE.store();
    if (!chainCas(a)) return 'No certificate chain was built (upload the user certificate and its CAs) to know which CAs need a CRL.';
    return true;
  },
  run(a) {
    const t = tenantOf(a)!;
    const cfg = t.method!.crlValidation;
    const cas = chainCas(a)!;
    const all = storeCas(t);
    const rows = cas.map((c) => {
      const entries = findCa(all, c);
      const crl = entries.find((e) => e.crlUrl)?.crlUrl ?? null;
      const exempt = !!c.ski && (cfg?.exemptedSkis ?? []).includes(c.ski);
      return { ca: c.subject, ski: c.ski, inStore: entries.length > 0, crlUrl: crl, exempted: exempt };
    });
    const evidence = { state: cfg?.state ?? null, exemptedSkis: cfg?.exemptedSkis ?? [], cas: rows };
    if (cfg?.state !== 'enabled') return { status: 'pass', summary: 'CRL validation is not required by the method configuration, so a CA without a CRL does not block sign-in (revocation is then not checked for it).', evidence };
    const missing = rows.filter((r) => !r.crlUrl && !r.exempted);
    if (!missing.length) return { status: 'pass', summary: `CRL validation is required, and every CA of the chain has a CRL URL${rows.some((r) => r.exempted) ? ' or is exempted' : ''}.`, evidence };
    return {
      status: 'fail',
      summary: `CRL validation is required, and ${missing.map((m) => `${m.ca}${m.inStore ? '' : ' (not in the trust store)'}`).join(', ')} has no CRL URL and is not exempted, so Entra ID rejects the certificate.`,
      evidence,
      remediation: [
        { text: 'Give each CA its HTTP CRL URL in the trust store (see entra.trust-store), or exempt the CA by its SKI (only for a CA that publishes no CRL by design):' },
        ...missing.filter((m) => m.ski).map((m) => ({
          text: `Exempt ${m.ca}:`,
          command: `$cfg = Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'X509Certificate'\n$ex = @($cfg.AdditionalProperties.crlValidationConfiguration.exemptedCertificateAuthoritiesSubjectKeyIdentifiers) + ${psQuote(m.ski!)}\nUpdate-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'X509Certificate' -BodyParameter @{ '@odata.type' = '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration'; crlValidationConfiguration = @{ state = 'enabled'; exemptedCertificateAuthoritiesSubjectKeyIdentifiers = $ex } }`,
        })),
      ],
    };
  },
};
