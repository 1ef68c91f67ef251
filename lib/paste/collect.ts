// Collector: parses the pasted texts into structured blocks (no verdicts; the config.* checks judge).
import type { Collector } from '@/lib/report/collector';
import { parsePastes } from './detect';

export const pasteCollector: Collector = {
  name: 'pasted command output',
  needs: [],
  provides: ['paste'],
  async run(a) {
    if (!a.input.pasted.length) return {};
    return { paste: parsePastes(a.input.pasted) };
  },
};
