'use client';
// Follows a running report: a small fetch loop (no query library on the client). When the stored report has moved
// on, router.refresh() asks the server for the page again, which renders the new checks; client state (open
// cards) is kept. The server stops rendering this component once the report is no longer running.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

const POLL_MS = 1000;

export function ReportPoller({ id, updatedAt, checks }: { id: string; updatedAt: string; checks: number }) {
  const router = useRouter();
  const [state, setState] = useState<'ok' | 'lost' | 'deleted'>('ok');
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const res = await fetch(`/api/reports/${id}`, { cache: 'no-store' });
        if (stopped) return;
        if (res.status === 404) return setState('deleted');
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const r = (await res.json()) as { status?: string; updatedAt?: string; checks?: unknown[] };
        if (stopped) return;
        setState('ok');
        if (r.status !== 'running' || r.updatedAt !== updatedAt || r.checks?.length !== checks) {
          router.refresh();
          return; // the refreshed page renders a new poller (or none, when finished)
        }
      } catch {
        if (!stopped) setState('lost');
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, updatedAt, checks, router]);
  if (state === 'deleted')
    return (
      <div className="rounded-lg border border-slate-300 bg-white p-6" role="status">
        <h2 className="text-xl font-semibold">This report was deleted</h2>
        <p className="mt-2">
          It is no longer available. <a className="text-blue-800 underline" href="/">Run a new diagnosis</a>.
        </p>
      </div>
    );
  if (state === 'lost') return <p className="rounded border border-amber-600 bg-amber-50 p-3 text-sm print:hidden">The page lost contact with the server; it keeps trying.</p>;
  return null;
}
