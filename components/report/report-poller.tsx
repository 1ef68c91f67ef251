// While a report runs, components/islands/report.ts polls GET /api/reports/{id} with If-None-Match (304 while nothing
// changed) and, when the stored report has moved on, fetches the page again and swaps in the new report body (cards
// the reader opened or closed stay so). This is where it says that the
// page lost contact, or that the report was deleted. The server stops rendering it once the report is finished.
import { reportEtag } from '@/lib/report/etag';
import type { Report } from '@/lib/report/schema';

export function ReportPoller({ report }: { report: Pick<Report, 'id' | 'status' | 'updatedAt'> }) {
  return <div data-poll={report.id} data-etag={reportEtag(report.status, report.updatedAt)} />;
}
