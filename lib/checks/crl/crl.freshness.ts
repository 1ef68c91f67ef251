import type { Remediation, Status } from '@/lib/report/schema';
import type { CrlAssessment } from '@/lib/pki/crl/types';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef } from '../types';
import { appliesToCrls } from './crl.signature';

const HOUR = 3_600_000;

function judge(c: CrlAssessment, now: Date): { status: Status; note: string; hoursLeft: number | null } {
  const next = c.nextUpdate ? new Date(c.nextUpdate) : undefined;
  const hoursLeft = next ? Math.round(((next.getTime() - now.getTime()) / HOUR) * 10) / 10 : null;
  switch (c.freshness) {
    case 'expired':
      return { status: 'fail', hoursLeft, note: `Expired: its nextUpdate (${c.nextUpdate}) has passed, so it no longer says anything about revocation and validators reject it.` };
    case 'not-yet-valid':
      return { status: 'fail', hoursLeft, note: `Not valid yet: its thisUpdate (${c.thisUpdate}) is after the evaluation time (check the CA's clock, or --at).` };
    case 'no-next-update':
      return { status: 'fail', hoursLeft, note: 'It has no nextUpdate, so nobody can tell when it stops being current.' };
    default:
      if (hoursLeft !== null && hoursLeft < 24)
        return { status: 'warn', hoursLeft, note: `Current, but it expires in ${hoursLeft} hour(s) (${c.nextUpdate}): if the next CRL is not published in time, sign-ins fail.` };
      return { status: 'pass', hoursLeft, note: `Current until ${c.nextUpdate}.` };
  }
}

export const crlFreshness: CheckDef = {
  id: 'crl.freshness',
  category: 'crl',
  title: 'CRLs are current',
  description:
    'A CRL is only valid between its thisUpdate and nextUpdate times. An expired CRL means revocation cannot be checked: AD FS and Entra ID then refuse the certificate. The CA must publish the next CRL (and copy it to the web server) before the current one expires.',
  citation: 'RFC 5280 sections 5.1.2.4, 5.1.2.5 and 6.3.3 (a); CHECKS.md crl.freshness',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['chain', 'crls', 'revocation'],
  applies: appliesToCrls,
  run(a) {
    const now = a.ctx.now;
    const rows = a.revocation!.crls.map((c) => {
      const j = judge(c, now);
      return {
        crl: c.source,
        url: c.url ?? null,
        kind: c.kind,
        issuer: c.issuer,
        thisUpdate: c.thisUpdate,
        nextUpdate: c.nextUpdate ?? null,
        nextCrlPublish: c.nextPublish ?? null,
        crlNumber: c.crlNumber ?? null,
        hoursLeft: j.hoursLeft,
        status: j.status,
        note: j.note,
      };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = { evaluatedAt: now.toISOString(), crls: rows };
    if (status === 'pass') return { status, summary: `All ${rows.length} CRL(s) are current at ${now.toISOString()}.`, evidence };
    const bad = rows.filter((r) => r.status !== 'pass');
    const cas = [...new Set(bad.map((r) => `"${r.issuer}"`))];
    const remediation: Remediation[] = [
      {
        text: `Publish a new CRL on the CA${cas.length === 1 ? '' : 's'} ${cas.join(', ')} and copy it to every CRL location (the web server behind the CDP URL). On an AD CS CA:`,
        command: 'certutil -crl',
      },
      {
        text: 'Then make sure it keeps happening: the Active Directory Certificate Services service must run, and whatever copies CertEnroll to the web server must run after each publication. Check the publication period and overlap (and the delta CRL period) on the CA:',
        command: 'certutil -getreg CA\\CRLPeriodUnits && certutil -getreg CA\\CRLPeriod && certutil -getreg CA\\CRLOverlapUnits && certutil -getreg CA\\CRLDeltaPeriodUnits',
      },
    ];
    if (bad.some((r) => r.note.startsWith('Not valid yet'))) remediation.push({ text: "Check the CA's clock (and the --at time used for this diagnosis).", command: 'w32tm /query /status' });
    return {
      status,
      summary: `${bad.length} of ${rows.length} CRL(s) are not comfortably current: ${bad.map((r) => `${r.crl}: ${r.note}`).join(' ')}`,
      evidence,
      remediation,
    };
  },
};
