// Every collector, in no particular order: the runner starts each as soon as its inputs are ready.
import type { Collector } from './collector';
import { filesCollector, userCollector } from '@/lib/pki/collect';

export const ALL_COLLECTORS: Collector[] = [
  filesCollector,
  userCollector,
];
