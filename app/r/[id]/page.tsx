import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { getReport } from '@/lib/report/service';
import { ReportView } from '@/components/report/report-view';
import { storeFailure } from '@/lib/ops/store-errors';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Report · CBA Doctor', robots: { index: false, follow: false } };

export default async function ReportPage({ params }: Props) {
  const { id } = await params;
  let report;
  try {
    report = await getReport(id);
  } catch (e) {
    // A store failure is logged once by storeFailure, not as a stack trace per page view.
    const failure = storeFailure(e);
    if (!failure) throw e;
    return (
      <div role="alert" className="rounded-lg border border-red-700 bg-white p-6">
        <h1 className="text-2xl font-semibold">The report cannot be read right now</h1>
        <p className="mt-2 max-w-prose">{failure.message}</p>
      </div>
    );
  }
  if (!report) notFound();
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">
        Diagnosis report
        <span className="ml-2 align-middle font-mono text-sm font-normal text-slate-600">{report.id}</span>
      </h1>
      <ReportView initial={report} total={ALL_CHECKS.length} />
    </>
  );
}
