import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import { failureText } from '@/lib/net/crl-report';
import type { DeltaUse } from '@/lib/pki/crl/types';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef } from '../types';
import { DELTA_PREREQUISITES } from './prerequisites';

function statusOf(d: DeltaUse): Status {
  return d.status === 'missing' || d.status === 'invalid' ? 'fail' : 'pass';
}

/** A certificate's published delta CRL when no base CRL was usable for it: missing or broken fails, a
 *  sound one is left unjudged (nothing to apply it to; crl.revocation says why). */
function unpairedDelta(a: Artifacts, ref: string) {
  const entry = a.chain!.path.find((e) => e.ref === ref)!;
  const pointers = [...new Set((entry.cert.freshestCrl ?? []).flatMap((d) => d.urls))];
  const deltas = a.revocation!.crls.filter((c) => c.kind === 'delta' && a.crls!.items[c.index]?.issuer.key === entry.cert.issuer.key);
  const row = { baseCrl: null, certificates: [ref], freshestCrlUrls: pointers, deltaCrls: deltas.map((d) => d.source) };
  if (!deltas.length) {
    const failed = (a.crlDownloads ?? []).filter((d) => d.forRef === ref && d.kind === 'delta' && (d.fetch.error || !d.parsed));
    const why = failed.map((d) => `${d.fetch.url}: ${d.fetch.error ? failureText(d) : `not a CRL (${d.parseError ?? 'unreadable'})`}`);
    return {
      ...row,
      deltaStatus: 'missing' as const,
      status: 'fail' as Status,
      note: `"${entry.cert.subject.display}" points to a delta CRL${pointers.length ? ` (${pointers.join(', ')})` : ''}, but none was available${why.length ? `: ${why.join('; ')}` : ''}.`,
    };
  }
  const sound = deltas.filter((d) => d.usable);
  if (!sound.length)
    return {
      ...row,
      deltaStatus: 'invalid' as const,
      status: 'fail' as Status,
      note: `The delta CRL of "${entry.cert.subject.display}" is not usable: ${deltas.map((d) => `${d.source}: ${d.problems.join('; ')}`).join(' ')}.`,
    };
  return {
    ...row,
    deltaStatus: 'unpaired' as const,
    status: 'skip' as Status,
    note: `No usable base CRL for "${entry.cert.subject.display}", so its delta CRL (${sound.map((d) => d.source).join(', ')}) could not be applied (see crl.revocation).`,
  };
}

export const crlDelta: CheckDef = {
  id: 'crl.delta',
  category: 'crl',
  title: 'Delta CRLs are available and valid',
  description:
    'A CA that publishes delta CRLs (Freshest CRL extension) lists recent revocations only there. The delta must be reachable, signed by the same key as its base CRL, current, and built on a base CRL no newer than the one in use; Entra ID requires both the base and the delta CRL to be valid.',
  citation: 'RFC 5280 sections 5.2.4, 5.2.6 and 6.3.3 (g)-(k); Entra CBA documentation (base and delta CRLs must both be valid)',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['chain', 'crls', 'revocation'],
  prerequisites: DELTA_PREREQUISITES,
  applies(a) {
    if (!a.chain) return 'No certificate chain was built.';
    if (!a.crls || !a.revocation) return 'No CRL was given or downloaded, so there is no base CRL to pair a delta CRL with.';
    return true;
  },
  run(a) {
    const r = a.revocation!;
    // One row per base CRL in use (certificates sharing a base share its delta).
    const byBase = new Map<string, { delta: DeltaUse; certificates: string[] }>();
    for (const p of r.perCert) {
      if (!p.delta) continue;
      const row = byBase.get(p.delta.base);
      if (row) row.certificates.push(p.ref);
      else byBase.set(p.delta.base, { delta: p.delta, certificates: [p.ref] });
    }
    const rows = [...byBase.values()].map(({ delta, certificates }) => ({
      baseCrl: delta.base,
      certificates,
      freshestCrlUrls: delta.pointers,
      deltaCrls: delta.deltas,
      deltaStatus: delta.status,
      status: statusOf(delta),
      note: delta.message,
    }));
    // Certificates that point to a delta CRL although no base CRL could be used for them: the delta is still
    // judged on its own, since a published delta that is unreachable or broken fails whatever the base.
    const pointing = r.perCert.filter((p) => !p.delta && a.chain!.path.find((e) => e.ref === p.ref)?.cert.freshestCrl?.length);
    const unpaired = pointing.map((p) => unpairedDelta(a, p.ref));
    const all = [...rows, ...unpaired];
    const evidence = { crls: rows, notEvaluated: unpaired };
    if (!all.length) {
      // CHECKS.md: no Freshest CRL pointer anywhere passes, whether or not a base CRL could be used.
      const published = a.crls!.items.some((c) => c.freshestCrl?.length || c.deltaCrlIndicator !== undefined);
      if (!published) return { status: 'pass', summary: 'No delta CRL is published (no Freshest CRL pointer in the path or its CRLs), so the base CRLs alone decide.', evidence };
      return { status: 'skip', summary: 'No base CRL was used for any certificate, so there is no delta CRL to check (see crl.revocation).', evidence };
    }
    const status = worst(all.map((x) => x.status));
    const unjudged = unpaired.filter((x) => x.status === 'skip');
    const unjudgedText = unjudged.length ? ` ${unjudged.map((x) => x.note).join(' ')}` : '';
    if (status === 'skip') return { status, summary: `Delta CRLs are published, but no base CRL could be used to pair them with.${unjudgedText}`, evidence };
    if (status === 'pass') {
      const used = rows.filter((x) => x.deltaStatus === 'used');
      return {
        status,
        summary:
          (used.length
            ? `Delta CRLs are valid and applied: ${used.map((x) => `${x.deltaCrls[0] ?? '?'} on ${x.baseCrl}`).join(', ')}.`
            : 'No delta CRL is published for the CRLs in use (no Freshest CRL pointer), so the base CRLs alone decide.') + unjudgedText,
        evidence,
      };
    }
    const bad = all.filter((x) => x.status === 'fail');
    const remediation: Remediation[] = [];
    if (bad.some((x) => x.deltaStatus === 'missing')) {
      const urls = [...new Set(bad.flatMap((x) => x.freshestCrlUrls))];
      remediation.push(
        a.ctx.offline || !urls.length
          ? { text: `Give the delta CRL file${urls.length ? ` (published at ${urls.join(', ')})` : ''} with --crl next to its base CRL, or run the diagnosis online.` }
          : {
              text: `Publish the delta CRL where the Freshest CRL extension points (${urls.join(', ')}). On IIS a delta CRL name contains "+", which request filtering rejects unless double escaping is allowed on the CRL folder:`,
              command: '%windir%\\system32\\inetsrv\\appcmd set config "Default Web Site/CertEnroll" -section:system.webServer/security/requestFiltering -allowDoubleEscaping:true',
            },
      );
    }
    if (bad.some((x) => x.deltaStatus === 'invalid'))
      remediation.push({ text: 'Publish a fresh base and delta CRL pair from the CA (each delta must be signed by the CA key and build on the current base CRL number), and copy both to the web server:', command: 'certutil -crl' });
    remediation.push({
      text: 'If you do not want delta CRLs, turn them off on the CA (new certificates then carry no Freshest CRL pointer) and publish again:',
      command: 'certutil -setreg CA\\CRLDeltaPeriodUnits 0 && net stop certsvc && net start certsvc && certutil -crl',
    });
    return { status, summary: `Delta CRL problem: ${bad.map((x) => x.note).join(' ')}`, evidence, remediation, parts: all.map((x) => ({ key: x.certificates[0], label: `the delta CRL of ${x.certificates.map((ref) => `"${a.chain!.path.find((e) => e.ref === ref)?.cert.subject.display ?? ref}"`).join(', ')}`, status: x.status, reason: x.note })) };
  },
};
