import type { Status, Target } from '@/lib/report/schema';
import type { CrlDownload } from '@/lib/net/types';
import { downloadCommand, downloadId, downloadsApply, ENTRA_CRL_URL, seconds } from '@/lib/net/crl-report';
import { worst, type CheckDef, type Prerequisite } from '../types';

/** A URL that never answered (no first byte) has no download time: that is crl.fetch's finding. */
const AFTER_FETCH: Prerequisite = {
  check: 'crl.fetch',
  explains: ({ a, part }) => {
    const d = a.crlDownloads?.find((x) => x.fetch.url === part?.key);
    if (!d || d.fetch.error?.kind !== 'timeout' || d.fetch.ttfbMs !== undefined) return undefined;
    return `${d.fetch.url} did not answer at all`;
  },
};

/** Entra's interactive limit is 10 s; the KB says a CRL over 15 s needs a faster link. `unknown` warns at the stricter one. */
export function timeLimits(target: Target): { warnAboveS?: number; failAboveS: number } {
  return target === 'entra' ? { failAboveS: 10 } : { warnAboveS: 10, failAboveS: 15 };
}

function judgeSeconds(s: number, target: Target): Status {
  const l = timeLimits(target);
  if (s > l.failAboveS) return 'fail';
  if (l.warnAboveS !== undefined && s > l.warnAboveS) return 'warn';
  return 'pass';
}

function judge(d: CrlDownload, target: Target): { status: Status; note: string; seconds?: string } {
  const r = d.fetch;
  const limitS = seconds(r.timeoutMs ?? r.totalMs);
  if (r.error?.kind === 'timeout')
    return {
      status: 'fail',
      seconds: `> ${limitS}`,
      note: r.ttfbMs === undefined ? `No answer within ${limitS} s; the download was stopped.` : `The download was stopped at ${limitS} s after ${r.bytes} bytes.`,
    };
  const s = seconds(r.totalMs);
  if (r.error?.kind === 'too-big') {
    // Stopped at the byte cap: the time so far is only a lower bound.
    const st = judgeSeconds(s, target);
    return st === 'pass'
      ? { status: 'skip', seconds: `> ${s}`, note: `The download was stopped at the size limit after ${s} s, so its full time is unknown (see crl.size).` }
      : { status: st, seconds: `> ${s}`, note: `Already ${s} s when the download was stopped at the size limit.` };
  }
  if (r.error) return { status: 'skip', note: 'Not downloaded (see crl.fetch).' };
  const st = judgeSeconds(s, target);
  const l = timeLimits(target);
  const note =
    st === 'pass'
      ? `${s} s, within ${l.warnAboveS ?? l.failAboveS} s.`
      : st === 'warn'
        ? `${s} s: over the ${l.warnAboveS} s Entra ID interactive limit (AD FS tolerates up to ${l.failAboveS} s).`
        : target === 'entra'
          ? `${s} s: over the ${l.failAboveS} s Entra ID interactive limit.`
          : `${s} s: over ${l.failAboveS} s, which causes caching delays and intermittent sign-in failures.`;
  return { status: st, seconds: String(s), note };
}

export const crlDownloadTime: CheckDef = {
  id: 'crl.download-time',
  category: 'crl',
  title: 'CRLs download fast enough',
  description:
    'Entra ID gives up on a CRL that takes more than 10 seconds to download during interactive sign-in, and Microsoft advises putting CRLs that take more than 15 seconds on a faster link. The whole download is timed (time to first byte and total) and stopped at the time limit. The time is measured from where CBA Doctor runs: an estimate of what Entra ID or the AD FS servers see from their own networks.',
  citation: 'Entra CBA documentation (10 s interactive limit); KB 4032987 (CRLs over 15 s need a faster link)',
  reference: ENTRA_CRL_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'crlDownloads', 'realm'],
  prerequisites: [AFTER_FETCH],
  applies: downloadsApply,
  run(a) {
    const limits = timeLimits(a.target);
    const rows = a.crlDownloads!.map((d) => {
      const j = judge(d, a.target);
      const r = d.fetch;
      const timed = !r.error || r.error.kind === 'timeout' || r.error.kind === 'too-big';
      return {
        ...downloadId(a, d),
        status: j.status,
        note: j.note,
        seconds: j.seconds ?? null,
        bytes: r.bytes,
        ttfbMs: r.ttfbMs ?? null,
        totalMs: timed ? r.totalMs : null,
        throughputKBps: timed && r.totalMs > 0 ? Math.round((r.bytes / 1024 / (r.totalMs / 1000)) * 10) / 10 : null,
        timeLimitS: r.timeoutMs !== undefined ? seconds(r.timeoutMs) : null,
      };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = {
      target: a.target,
      limits,
      measuredFrom: 'where CBA Doctor runs; Entra ID and the AD FS servers download from their own networks, so their times can differ',
      downloads: rows,
    };
    const estimate = ' (measured from where CBA Doctor runs: an estimate of what Entra ID or the AD FS servers see)';
    if (status === 'skip') return { status, summary: 'No CRL download completed, so there is no download time to judge (see crl.fetch).', evidence };
    const slow = rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    if (!slow.length) {
      const max = Math.max(...rows.filter((r) => r.totalMs !== null && r.status === 'pass').map((r) => r.totalMs!));
      return { status, summary: `Every CRL downloaded within ${limits.warnAboveS ?? limits.failAboveS} s (slowest ${seconds(max)} s)${estimate}.`, evidence };
    }
    return {
      status,
      parts: rows.map((r) => ({ key: r.url, status: r.status })),
      summary: `${slow.length} CRL download(s) too slow for ${a.target === 'entra' ? 'Entra ID' : a.target === 'adfs' ? 'AD FS' : 'sign-in'}: ${slow.map((r) => `${r.url} (${r.seconds} s)`).join('; ')}${estimate}.`,
      evidence,
      remediation: [
        { text: 'Host the CRLs on a fast, well-connected web server or a CDN/cloud storage close to the users (Microsoft suggests Azure Storage for large CRLs), and keep the CRL small (see crl.size).' },
        { text: 'Measure from an AD FS or WAP server (through the same proxy it uses):', command: downloadCommand(slow[0].url) },
      ],
    };
  },
};
