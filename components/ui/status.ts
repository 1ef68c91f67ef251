import type { Status } from '@/lib/report/schema';

/** Label, symbol and colours per status: meaning never rests on colour alone (text and symbol go with it). */
export const STATUS_STYLE: Record<Status | 'running' | 'incomplete', { label: string; symbol: string; className: string }> = {
  fail: { label: 'Fail', symbol: '✕', className: 'bg-red-100 text-red-900 ring-red-300' },
  error: { label: 'Error', symbol: '?', className: 'bg-purple-100 text-purple-900 ring-purple-300' },
  warn: { label: 'Warning', symbol: '!', className: 'bg-amber-100 text-amber-900 ring-amber-300' },
  info: { label: 'Info', symbol: 'i', className: 'bg-sky-100 text-sky-900 ring-sky-300' },
  pass: { label: 'Pass', symbol: '✓', className: 'bg-green-100 text-green-900 ring-green-300' },
  skip: { label: 'Skipped', symbol: '–', className: 'bg-slate-100 text-slate-700 ring-slate-300' },
  running: { label: 'Running', symbol: '…', className: 'bg-blue-100 text-blue-900 ring-blue-300' },
  incomplete: { label: 'Not diagnosed', symbol: '⏸', className: 'bg-slate-200 text-slate-900 ring-slate-400' },
};

/** Order used for "failures first". */
export const SEVERITY: Record<Status, number> = { fail: 0, error: 1, warn: 2, info: 3, pass: 4, skip: 5 };

export function isStatus(v: unknown): v is Status {
  return typeof v === 'string' && v in SEVERITY;
}
