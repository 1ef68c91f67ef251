import type { CheckDef } from '../types';
import { chainCas } from '../config/common';
import { E_HOW, PASTE, findCa, tenantOf } from './common';

/** Entra sends at most this much of CA names as hints (Entra CBA how-to, issuer hints). */
export const ISSUER_HINTS_MAX_BYTES = 16 * 1024;

export const entraIssuerHints: CheckDef = {
  id: 'entra.issuer-hints',
  category: 'entra',
  title: 'Issuer hints offer the user\'s certificate',
  description:
    'With issuer hints on, Entra ID sends the names of the CAs flagged for hints to the browser, which then offers only certificates from those CAs: the user\'s issuing CA must be flagged, and the names sent are limited to 16 KB. Changes take up to 10 minutes.',
  citation: 'Entra CBA how-to (issuer hints: isIssuerHintEnabled, 16 KB, 10 minutes)',
  reference: E_HOW,
  needs: ['entra', 'chain'],
  applies(a) {
    const t = tenantOf(a);
    if (!t?.method) return PASTE.method();
    return true;
  },
  run(a) {
    const t = tenantOf(a)!;
    const state = t.method!.issuerHints?.state ?? null;
    const pki = t.pkiStore ?? [];
    const hinted = pki.filter((c) => c.issuerHintEnabled);
    const known = hinted.filter((c) => c.subjectDerBytes !== null);
    const bytes = known.reduce((n, c) => n + (c.subjectDerBytes ?? 0), 0);
    const issuing = chainCas(a)?.[0] ?? null;
    const entry = issuing && pki.length ? findCa(pki, issuing)[0] : undefined;
    const evidence = { state, hintedCas: hinted.map((c) => c.subject), hintBytes: known.length ? bytes : null, maxBytes: ISSUER_HINTS_MAX_BYTES, issuingCa: issuing?.subject ?? null, issuingCaHinted: entry ? entry.issuerHintEnabled : null };
    if (state !== 'enabled')
      return { status: 'info', summary: 'Issuer hints are off: the browser offers every client certificate the user has, whatever its CA (the user has to pick the right one).', evidence };
    if (!t.pkiStore) return { status: 'info', summary: `Issuer hints are on. ${PASTE.store()} (the PKI-based store says which CAs are sent as hints).`, evidence };
    const problems: string[] = [];
    let status: 'pass' | 'warn' = 'pass';
    if (issuing && !entry) {
      status = 'warn';
      problems.push(`the issuing CA ${issuing.subject} is not in the PKI-based store, so it is not sent as a hint and the browser does not offer the user's certificate`);
    } else if (entry && entry.issuerHintEnabled !== true) {
      status = 'warn';
      problems.push(`the issuing CA ${issuing!.subject} is not flagged for issuer hints (isIssuerHintEnabled), so the browser does not offer the user's certificate`);
    }
    if (bytes > ISSUER_HINTS_MAX_BYTES) {
      status = 'warn';
      problems.push(`the CA names sent as hints take ${bytes} bytes, over the documented ${ISSUER_HINTS_MAX_BYTES}; names past the limit are not sent`);
    }
    if (!problems.length) return { status, summary: `Issuer hints are on and the issuing CA is flagged for them (${hinted.length} CA names, ${bytes} bytes of the ${ISSUER_HINTS_MAX_BYTES} allowed).`, evidence };
    return {
      status,
      summary: `Issuer hints are on, but ${problems.join('; ')}.`,
      evidence,
      remediation: [{ text: 'Flag the issuing CA for issuer hints in the PKI-based store (Entra admin center > Public key infrastructure > the CA > "Issuer hints"), and keep the hinted list short; changes take up to 10 minutes.' }],
    };
  },
};
