// The report page's script (a few kB, no framework): the page is rendered on the server (components/pages/render.tsx)
// and this wires what is interactive, by event delegation so a report body swapped in by the poller works at once:
// Details toggles, copy buttons (a command, the link, the Markdown summary loaded on demand), print, delete for the
// browser holding the deletion token, and, while the report runs, polling until it is finished.
import type { Report } from '@/lib/report/schema';
import { copyText } from '@/components/ui/clipboard';
import { tokenKey } from '@/components/report/token';

const POLL_MS = 1000;
const linkFor = (id: string) => `${window.location.origin}/r/${id}`;

function setOpen(button: HTMLElement, open: boolean) {
  const body = document.getElementById(button.getAttribute('aria-controls') ?? '');
  button.setAttribute('aria-expanded', String(open));
  const label = button.querySelector('[data-disclosure-label]');
  if (label) label.textContent = open ? 'Hide details' : 'Details';
  body?.classList.toggle('hidden', !open);
  body?.classList.toggle('print:block', !open);
}

async function markdownOf(id: string): Promise<string> {
  const [{ reportToMarkdown }, res] = await Promise.all([import('@/components/report/markdown'), fetch(`/api/reports/${id}`, { cache: 'no-store' })]);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return reportToMarkdown((await res.json()) as Report, linkFor(id));
}

const copyTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

async function onCopy(button: HTMLElement, id: string) {
  const status = button.querySelector<HTMLElement>('[data-copy-status]');
  let ok = false;
  try {
    const action = button.dataset.copyAction;
    ok = await copyText(action === 'link' ? linkFor(id) : action === 'markdown' ? await markdownOf(id) : (button.dataset.copy ?? ''));
  } catch {
    ok = false;
  }
  if (!status) return;
  status.textContent = ok ? '(Copied)' : '(Copy failed: select and copy by hand)';
  status.className = 'ml-1 text-xs font-normal';
  clearTimeout(copyTimers.get(button));
  copyTimers.set(
    button,
    setTimeout(() => {
      status.textContent = '';
      status.className = 'sr-only';
    }, 2500),
  );
}

async function onDelete(button: HTMLButtonElement, id: string, message: HTMLElement | null) {
  const token = readToken(id);
  if (!token || !window.confirm('Delete this report for everyone who has the link? This cannot be undone.')) return;
  button.disabled = true;
  button.textContent = 'Deleting…';
  const res = await fetch(`/api/reports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  if (res?.status === 204 || res?.status === 404) {
    try {
      localStorage.removeItem(tokenKey(id));
    } catch {
      /* nothing kept */
    }
    window.location.assign('/?deleted=1');
    return;
  }
  button.disabled = false;
  button.textContent = 'Delete report';
  if (message) message.textContent = 'The report could not be deleted. Try again.';
}

function readToken(id: string): string | null {
  try {
    return localStorage.getItem(tokenKey(id));
  } catch {
    return null;
  }
}

/** The deletion token: handed over in the fragment by the certauth listener (another origin), or kept by the form. */
function setUpDelete(id: string) {
  try {
    const handed = /^#delete-token=([A-Za-z0-9_-]{43})$/.exec(window.location.hash)?.[1];
    if (handed) {
      localStorage.setItem(tokenKey(id), handed);
      // Out of the address bar and history: the fragment never reached a server, and should not be shared.
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    }
  } catch {
    /* private mode: Delete is not offered */
  }
  const button = document.querySelector<HTMLButtonElement>('[data-delete]');
  if (button) button.hidden = !readToken(id);
}

/** Follows a running report: when the stored report moves on, the page is fetched again and its report body swapped. */
function poll(id: string) {
  const state = () => document.querySelector<HTMLElement>('[data-poll]');
  const say = (html: string) => {
    const el = state();
    if (el) el.innerHTML = html;
  };
  const tick = async () => {
    const el = state();
    if (!el) return; // finished: the new body has no poller
    try {
      // Conditional: 304 while the stored report is the version on the page, so nothing but headers travels.
      const res = await fetch(`/api/reports/${id}`, { cache: 'no-store', headers: { 'if-none-match': el.dataset.etag ?? '' } });
      if (res.status === 404) {
        say(
          '<div class="rounded-lg border border-slate-300 bg-white p-6" role="status"><h2 class="text-xl font-semibold">This report was deleted</h2><p class="mt-2">It is no longer available. <a class="text-blue-800 underline" href="/">Run a new diagnosis</a>.</p></div>',
        );
        return;
      }
      if (res.status !== 304 && !res.ok) throw new Error(`HTTP ${res.status}`);
      say('');
      if (res.status !== 304) {
        // A newer version: the page is rendered again (the JSON itself is not needed).
        await res.body?.cancel();
        await swapBody(id);
      }
    } catch {
      say('<p class="rounded border border-amber-600 bg-amber-50 p-3 text-sm print:hidden">The page lost contact with the server; it keeps trying.</p>');
    }
    setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, POLL_MS);
}

/** Replaces the report body with the server's current one, keeping the cards the reader opened or closed. */
async function swapBody(id: string) {
  const res = await fetch(`/r/${id}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const next = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('report-body');
  const current = document.getElementById('report-body');
  if (!next || !current) return;
  const chosen = new Map<string, boolean>();
  for (const b of current.querySelectorAll<HTMLElement>('[data-disclosure][data-touched]')) chosen.set(b.getAttribute('aria-controls') ?? '', b.getAttribute('aria-expanded') === 'true');
  // The toolbar keeps its state (Delete shown, messages): the new body takes the one on the page.
  const toolbar = current.querySelector('[data-toolbar]');
  const nextToolbar = next.querySelector('[data-toolbar]');
  if (toolbar && nextToolbar) nextToolbar.replaceWith(toolbar);
  // The live region stays the same element, so screen readers announce its new text ("Diagnosis complete...").
  const live = current.querySelector(':scope > [role="status"]');
  const nextLive = next.querySelector(':scope > [role="status"]');
  if (live && nextLive) {
    live.textContent = nextLive.textContent;
    nextLive.replaceWith(live);
  }
  current.replaceWith(next);
  for (const b of next.querySelectorAll<HTMLElement>('[data-disclosure]')) {
    const open = chosen.get(b.getAttribute('aria-controls') ?? '');
    if (open !== undefined) {
      setOpen(b, open);
      b.dataset.touched = '';
    }
  }
}

function main() {
  const id = document.querySelector<HTMLElement>('[data-toolbar]')?.dataset.toolbar;
  if (!id) return;
  document.addEventListener('click', (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    const disclosure = target?.closest<HTMLElement>('[data-disclosure]');
    if (disclosure) {
      setOpen(disclosure, disclosure.getAttribute('aria-expanded') !== 'true');
      disclosure.dataset.touched = '';
      return;
    }
    const copy = target?.closest<HTMLElement>('[data-copy], [data-copy-action]');
    if (copy) return void onCopy(copy, id);
    if (target?.closest('[data-print]')) return window.print();
    const del = target?.closest<HTMLButtonElement>('[data-delete]');
    if (del) return void onDelete(del, id, document.querySelector('[data-toolbar-message]'));
  });
  setUpDelete(id);
  if (document.querySelector('[data-poll]')) poll(id);
}

main();
