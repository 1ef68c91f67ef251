// A pasted object and a live read of the same object are the same artifact: the paste wins when both exist,
// and the model records which one each part came from.
import type { EntraTenant, LiveReadRecord } from './types';

const PARTS = ['method', 'user', 'groups', 'pkiStore', 'classicStore'] as const;

export function mergeTenant(pasted: EntraTenant | null, live: EntraTenant | null, record: LiveReadRecord | undefined): EntraTenant | null {
  if (!pasted && !live && !record) return null;
  const out: EntraTenant = { source: 'paste', method: null, user: null, groups: null, pkiStore: null, classicStore: null, signIns: [], crlFetches: [], sources: {} };
  for (const k of PARTS) {
    const p = pasted?.[k] ?? null;
    const l = live?.[k] ?? null;
    if (p) {
      (out as unknown as Record<string, unknown>)[k] = p;
      out.sources![k] = 'paste';
    } else if (l) {
      (out as unknown as Record<string, unknown>)[k] = l;
      out.sources![k] = 'graph';
    }
  }
  if (pasted?.signIns.length) {
    out.signIns = pasted.signIns;
    out.sources!.signIns = 'paste';
  } else if (live?.signIns.length) {
    out.signIns = live.signIns;
    out.sources!.signIns = 'graph';
  }
  if (Object.values(out.sources!).includes('graph')) out.source = 'graph';
  if (record) out.live = record;
  return out;
}
