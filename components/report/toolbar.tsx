'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { Report } from '@/lib/report/schema';
import { CopyButton } from '@/components/ui/copy-button';
import { tokenKey } from './token';

const linkFor = (id: string) => `${window.location.origin}/r/${id}`;

export function Toolbar({ report }: { report: Report }) {
  const router = useRouter();
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    try {
      // The certauth listener (another origin) hands the deletion token over in the fragment, which never reaches a
      // server: keep it like the form does, and take it out of the address bar and history.
      const handed = /^#delete-token=([A-Za-z0-9_-]{43})$/.exec(window.location.hash)?.[1];
      if (handed) {
        localStorage.setItem(tokenKey(report.id), handed);
        window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      }
      setToken(localStorage.getItem(tokenKey(report.id)));
    } catch {
      setToken(null);
    }
  }, [report.id]);

  async function onDelete() {
    if (!token || !window.confirm('Delete this report for everyone who has the link? This cannot be undone.')) return;
    setBusy(true);
    const res = await fetch(`/api/reports/${report.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    setBusy(false);
    if (res?.status === 204 || res?.status === 404) {
      localStorage.removeItem(tokenKey(report.id));
      router.push('/?deleted=1');
    } else setMessage('The report could not be deleted. Try again.');
  }

  return (
    <div className="flex flex-wrap gap-2 print:hidden" role="toolbar" aria-label="Report actions">
      <CopyButton text={() => linkFor(report.id)} label="Copy link" />
      {/* Loaded on demand: most visitors never copy Markdown, so it stays out of the first load. */}
      <CopyButton text={async () => (await import('./markdown')).reportToMarkdown(report, linkFor(report.id))} label="Copy as Markdown" />
      <a className="btn" href={`/api/reports/${report.id}`} download={`cba-doctor-${report.id}.json`}>
        Download JSON
      </a>
      <button type="button" className="btn" onClick={() => window.print()}>
        Print or save as PDF
      </button>
      {token && (
        <button type="button" className="btn btn-danger" onClick={onDelete} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete report'}
        </button>
      )}
      <p role="status" className="w-full text-sm text-red-800 empty:hidden">
        {message}
      </p>
    </div>
  );
}
