// Collector for the certificate path: every candidate path over the uploaded certificates plus any fetched
// through AIA is built and validated at the evaluation time, and the best one kept (see build.ts).
import type { Collector } from '@/lib/report/collector';
import { buildValidatedChain } from '../offload';

export const chainCollector: Collector = {
  name: 'certificate chain',
  needs: ['certs', 'user', 'aiaCerts'],
  provides: ['chain'],
  async run(a) {
    const user = a.user?.user;
    if (!user) return {};
    // buildChain (candidates built and validated), on the worker pool (lib/worker/tasks.ts computeChain).
    return { chain: await buildValidatedChain({ user, certs: a.certs ?? [], aiaCerts: a.aiaCerts, now: a.ctx.now }) };
  },
};
