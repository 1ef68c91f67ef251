import { inertArg } from '@/lib/commands/native';
import { fix } from '@/lib/commands/windows';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Status } from '@/lib/report/schema';
import type { PasteBlockOf, UrlReservation } from '@/lib/paste/types';
import { blocksOf, origin, pasted, said } from './common';

const ADFS_ACCOUNT = /adfssrv|appproxysvc/i;

function normUrl(u: string): string {
  const t = u.trim().toLowerCase();
  return t.endsWith('/') ? t : `${t}/`;
}

function judge(b: PasteBlockOf<'netsh-urlacl'>, port: number) {
  const want = `https://+:${port}/adfs/`;
  const matches = b.data.reservations.filter((r) => {
    const u = normUrl(r.url);
    return u === want || u === `https://*:${port}/adfs/`;
  });
  const related = b.data.reservations.filter((r) => /\/adfs\//i.test(r.url) || r.url.includes(`:${port}/`) || r.users.some((u) => ADFS_ACCOUNT.test(u.user)));
  let status: Status;
  let why: string;
  let reservation: UrlReservation | undefined;
  if (!matches.length) {
    status = 'fail';
    why = `There is no reservation for ${want}${related.length ? ` (AD FS reservations seen: ${related.map((r) => r.url).join(', ')})` : ''}, so nothing listens for certificate authentication on port ${port}`;
  } else {
    reservation = matches.find((r) => r.users.some((u) => u.listen === true)) ?? matches[0];
    const listening = reservation.users.filter((u) => u.listen === true);
    if (!listening.length) {
      status = 'fail';
      why = `${reservation.url.trim()} is reserved but no account may listen on it (Listen: No; ${said(reservation, b)})`;
    } else if (!listening.some((u) => ADFS_ACCOUNT.test(u.user))) {
      status = 'warn';
      why = `${reservation.url.trim()} is reserved for ${listening.map((u) => u.user).join(', ')}, not for the AD FS service NT SERVICE\\adfssrv (${said(reservation, b)})`;
    } else {
      status = 'pass';
      why = `${reservation.url.trim()} is reserved for ${listening.map((u) => u.user).join(', ')} with Listen: Yes (${said(reservation, b)})`;
    }
  }
  return { b, status, why, reservation, related, want };
}

/** Remediation: delete a URL reservation taken from a paste (the URL reaches the netsh line only as a plain word). */
export function removeReservation(url: string): { text: string; command?: string } {
  const text = 'Remove the reservation that does not let AD FS listen:';
  return fix(text, inertArg(url) ? `netsh http delete urlacl url=${url}` : undefined, 'the reserved URL', url);
}

export const configUrlAcl: CheckDef = {
  id: 'config.urlacl',
  category: 'config',
  title: 'URL reservation for the certificate authentication port',
  description:
    'AD FS and Web Application Proxy receive certificate sign-ins on a separate HTTPS endpoint (port 49443 by default). http.sys only hands that traffic to the service if the URL https://+:49443/adfs/ is reserved for it with listen rights.',
  citation: 'KB 4032987 (Determine if the ADFS and Web Application Proxy configurations are configured correctly, step 6); CHECKS.md config.urlacl',
  reference: 'https://learn.microsoft.com/windows/win32/http/add-urlacl',
  needs: ['paste'],
  applies: pasted('netsh-urlacl'),
  run(a): Outcome {
    const port = a.input.tlsClientPort ?? 49443;
    const judged = blocksOf(a, 'netsh-urlacl').map((b) => judge(b, port));
    const status = worst(judged.map((j) => j.status));
    const evidence = {
      expected: `https://+:${port}/adfs/`,
      outputs: judged.map((j) => ({
        ...origin(j.b),
        reservations: j.b.data.reservations.length,
        adfsReservations: j.related.map((r) => ({ url: r.url, users: r.users.map((u) => ({ user: u.user, listen: u.listen, delegate: u.delegate })), line: r.line, text: r.text })),
        match: j.reservation ? { url: j.reservation.url, line: j.reservation.line, text: j.reservation.text } : null,
        status: j.status,
      })),
    };
    const summary = judged.map((j) => `${j.why}.`).join(' ');
    if (status === 'pass') return { status, summary, evidence };
    const bad = judged.find((j) => j.status !== 'pass')!;
    const url = `https://+:${port}/adfs/`;
    return {
      status,
      summary,
      evidence,
      remediation: [
        ...(bad.reservation
          ? [removeReservation(bad.reservation.url.trim())]
          : []),
        {
          text: `On each AD FS server (elevated prompt), reserve the certificate authentication URL${port === 49443 ? '' : ` on port ${port}`} for the AD FS service, then restart it:`,
          command: `netsh http add urlacl url=${url} user="NT SERVICE\\adfssrv" listen=yes delegate=yes\nRestart-Service adfssrv`,
        },
        { text: 'Check it:', command: `netsh http show urlacl url=${url}` },
      ],
    };
  },
};
