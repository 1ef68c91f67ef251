// While a report runs, components/islands/report.ts polls GET /api/reports/{id} and, when the stored report has moved
// on, fetches the page again and swaps in the new report body (open cards stay open). This is where it says that the
// page lost contact, or that the report was deleted. The server stops rendering it once the report is finished.
export function ReportPoller({ id, updatedAt, checks }: { id: string; updatedAt: string; checks: number }) {
  return <div data-poll={id} data-updated-at={updatedAt} data-checks={checks} />;
}
