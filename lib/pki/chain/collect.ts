// Collector for the certificate path: built from the uploaded certificates plus any fetched through AIA,
// then validated at the evaluation time.
import type { Collector } from '@/lib/report/collector';
import { buildChain } from './build';
import { validatePath } from './validate';

export const chainCollector: Collector = {
  name: 'certificate chain',
  needs: ['certs', 'user', 'aiaCerts'],
  provides: ['chain'],
  async run(a) {
    const user = a.user?.user;
    if (!user) return {};
    const chain = buildChain({ user, certs: a.certs ?? [], aiaCerts: a.aiaCerts, now: a.ctx.now });
    chain.validation = validatePath(chain.path, { now: a.ctx.now, complete: chain.complete });
    return { chain };
  },
};
