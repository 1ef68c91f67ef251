import type { Remediation, Status } from '@/lib/report/schema';
import type { DeltaUse } from '@/lib/pki/crl/types';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef } from '../types';

function statusOf(d: DeltaUse): Status {
  return d.status === 'missing' || d.status === 'invalid' ? 'fail' : 'pass';
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
    // Certificates that point to a delta CRL although no base CRL could be used for them.
    const pointing = r.perCert.filter((p) => !p.delta && a.chain!.path.find((e) => e.ref === p.ref)?.cert.freshestCrl?.length);
    const evidence = { crls: rows, notEvaluated: pointing.map((p) => ({ ref: p.ref, subject: p.subject, status: 'skip', note: 'No usable base CRL, so its delta CRL could not be paired (see crl.revocation).' })) };
    if (!rows.length) {
      return pointing.length
        ? { status: 'skip', summary: 'Delta CRLs are published, but no base CRL could be used to pair them with (see crl.revocation).', evidence }
        : { status: 'skip', summary: 'No base CRL was used for any certificate, so there is no delta CRL to check (see crl.revocation).', evidence };
    }
    const status = worst(rows.map((x) => x.status));
    if (status === 'pass') {
      const used = rows.filter((x) => x.deltaStatus === 'used');
      return {
        status,
        summary: used.length
          ? `Delta CRLs are valid and applied: ${used.map((x) => `${x.deltaCrls[0] ?? '?'} on ${x.baseCrl}`).join(', ')}.`
          : 'No delta CRL is published for the CRLs in use (no Freshest CRL pointer), so the base CRLs alone decide.',
        evidence,
      };
    }
    const bad = rows.filter((x) => x.status === 'fail');
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
    return { status, summary: `Delta CRL problem: ${bad.map((x) => x.note).join(' ')}`, evidence, remediation };
  },
};
