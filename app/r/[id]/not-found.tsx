
export default function ReportNotFound() {
  return (
    <div className="rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-2xl font-semibold">Report not found</h1>
      <p className="mt-2 max-w-prose">
        No report has this link. It may have been deleted by the person who created it, removed after the retention period, or the link was
        copied incompletely.
      </p>
      <p className="mt-4">
        <a href="/" className="btn btn-primary">
          Run a new diagnosis
        </a>
      </p>
    </div>
  );
}
