import type { Status } from '@/lib/report/schema';
import { STATUS_STYLE } from './status';

export function StatusBadge({ status, size = 'md' }: { status: Status | 'running' | 'incomplete'; size?: 'sm' | 'md' }) {
  const s = STATUS_STYLE[status];
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1 rounded-full font-semibold ring-1 ring-inset ${s.className} ${size === 'sm' ? 'px-2 py-0 text-xs' : 'px-2.5 py-0.5 text-sm'}`}
      data-status={status}
    >
      <span aria-hidden="true">{s.symbol}</span>
      {s.label}
    </span>
  );
}
