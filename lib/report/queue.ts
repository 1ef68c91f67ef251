// Placeholder replaced by the pg-boss queue.
import type { ReportStore } from '@/lib/store/types';
export async function startSharedQueue(_store: ReportStore, _o: { concurrency: number; deadlineMs: number }): Promise<void> {
  throw new Error('not implemented');
}
