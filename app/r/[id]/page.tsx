import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { getReport } from '@/lib/report/service';
import { ReportView } from '@/components/report/report-view';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Report · CBA Doctor', robots: { index: false, follow: false } };

export default async function ReportPage({ params }: Props) {
  const { id } = await params;
  const report = await getReport(id);
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
