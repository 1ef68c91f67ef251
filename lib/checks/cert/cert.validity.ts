import type { CheckDef } from '../types';
import { appliesToUser, certRef, daysBetween, fmtDate, KB_URL, userEntry } from './common';

/** A certificate that expires within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;

export const certValidity: CheckDef = {
  id: 'cert.validity',
  category: 'cert',
  title: 'User certificate is within its validity period',
  description:
    'A certificate is only accepted between its notBefore and notAfter dates. The tool evaluates them at the diagnosis time (or the time given with --at) and warns when the certificate expires soon.',
  citation: 'CHECKS.md cert.validity; RFC 5280 section 4.1.2.5',
  reference: KB_URL,
  needs: ['user'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const c = e.cert;
    const now = a.ctx.now;
    const daysLeft = daysBetween(now, c.notAfter);
    const evidence = {
      certificate: certRef(e),
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      evaluatedAt: now.toISOString(),
      daysRemaining: daysLeft,
      warningThresholdDays: EXPIRY_WARNING_DAYS,
    };
    const renew = [
      {
        text: `Renew the user certificate "${c.subject.display}" before it expires, on the user's device (Certificates console: Personal > Certificates > right-click it > All Tasks > Renew Certificate with New Key), or let autoenrollment renew it, then install the new certificate on every device the user signs in from. Run on the user's device:`,
        command: /^[0-9A-Fa-f]+$/.test(c.serialHex) ? `certreq -enroll -user -q -cert ${c.serialHex} Renew` : undefined,
      },
    ];
    const reissue = [
      {
        text: `The user certificate "${c.subject.display}" has expired and cannot be renewed with itself: re-enroll the user for a new certificate from the same certificate template on the user's device (Certificates console: Personal > Certificates > All Tasks > Request New Certificate), then install it on every device the user signs in from. Run on the user's device:`,
        command: 'certreq -enroll -user -q <TEMPLATE_NAME>',
      },
    ];
    // One-second resolution: certificate times carry whole seconds (RFC 5280 4.1.2.5).
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    if (sec(now) < sec(c.notBefore)) {
      return {
        status: 'fail',
        summary: `The certificate is not valid yet: it becomes valid on ${fmtDate(c.notBefore)} (in ${Math.max(1, daysBetween(now, c.notBefore))} day(s)).`,
        evidence: { ...evidence, state: 'not-yet-valid' },
        remediation: [
          {
            text: 'Check the clock of the device and of the issuing CA: a notBefore in the future usually means the CA clock is ahead. Wait until the certificate becomes valid, or re-issue it from a CA with the correct time.',
            command: 'w32tm /query /status',
          },
        ],
      };
    }
    if (sec(now) > sec(c.notAfter)) {
      return {
        status: 'fail',
        summary: `The certificate expired on ${fmtDate(c.notAfter)} (${Math.max(1, -daysLeft)} day(s) ago).`,
        evidence: { ...evidence, state: 'expired' },
        remediation: reissue,
      };
    }
    if (c.notAfter.getTime() - now.getTime() <= EXPIRY_WARNING_DAYS * 86_400_000) {
      return {
        status: 'warn',
        summary: `The certificate expires on ${fmtDate(c.notAfter)}, in ${daysLeft} day(s). Renew it before then.`,
        evidence: { ...evidence, state: 'expires-soon' },
        remediation: renew,
      };
    }
    return {
      status: 'pass',
      summary: `The certificate is valid until ${fmtDate(c.notAfter)} (${daysLeft} more days).`,
      evidence: { ...evidence, state: 'valid' },
    };
  },
};
