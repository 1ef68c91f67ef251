'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { Report } from '@/lib/report/schema';
import { CopyButton } from '@/components/ui/copy-button';
import { tokenKey } from './token';

const linkFor = (id: string) => `${window.location.origin}/r/${id}`;

/** Report actions. Only the id comes from the server: the report itself is fetched when Markdown is asked for. */
export function Toolbar({ id }: { id: string }) {
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
        localStorage.setItem(tokenKey(id), handed);
        window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      }
      setToken(localStorage.getItem(tokenKey(id)));
    } catch {
      setToken(null);
    }
  }, [id]);

  async function copyMarkdown(): Promise<string> {
    const [{ reportToMarkdown }, res] = await Promise.all([import('./markdown'), fetch(`/api/reports/${id}`, { cache: 'no-store' })]);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return reportToMarkdown((await res.json()) as Report, linkFor(id));
  }

  async function onDelete() {
    if (!token || !window.confirm('Delete this report for everyone who has the link? This cannot be undone.')) return;
    setBusy(true);
    const res = await fetch(`/api/reports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    setBusy(false);
    if (res?.status === 204 || res?.status === 404) {
      localStorage.removeItem(tokenKey(id));
      router.push('/?deleted=1');
    } else setMessage('The report could not be deleted. Try again.');
  }

  return (
    <div className="flex flex-wrap gap-2 print:hidden" role="toolbar" aria-label="Report actions">
      <CopyButton text={() => linkFor(id)} label="Copy link" />
      {/* Loaded on demand: most visitors never copy Markdown, so it stays out of the first load. */}
      <CopyButton text={copyMarkdown} label="Copy as Markdown" />
      <a className="btn" href={`/api/reports/${id}`} download={`cba-doctor-${id}.json`}>
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
