// Collector for the certificate path: every candidate path over the uploaded certificates plus any fetched
// through AIA is built and validated at the evaluation time, and the best one kept (see build.ts).
import type { Collector } from '@/lib/report/collector';
import { buildChain } from './build';

export const chainCollector: Collector = {
  name: 'certificate chain',
  needs: ['certs', 'user', 'aiaCerts'],
  provides: ['chain'],
  async run(a) {
    const user = a.user?.user;
    if (!user) return {};
    return { chain: buildChain({ user, certs: a.certs ?? [], aiaCerts: a.aiaCerts, now: a.ctx.now }) };
  },
};
