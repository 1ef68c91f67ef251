// The report page's body. A server component: what it computes here (the paste kind names) travels as data in
// the page, not as JavaScript, and the report page's first-load JavaScript has little room left.
import type { Report } from '@/lib/report/schema';
import { LiveReportView } from './live-report';
import { PASTE_KIND_LABEL } from './paste-labels';
import { CHECK_BASIS } from './check-basis';

export function ReportView({ initial, total }: { initial: Report; total: number }) {
  return <LiveReportView initial={initial} total={total} pasteLabels={PASTE_KIND_LABEL} basis={CHECK_BASIS} />;
}
