// Every collector, in no particular order: the runner starts each as soon as its inputs are ready.
import type { Collector } from './collector';
import { filesCollector, userCollector } from '@/lib/pki/collect';
import { aiaCollector } from '@/lib/net/collect-aia';
import { crlDownloadsCollector } from '@/lib/net/collect-crl';
import { chainCollector } from '@/lib/pki/chain/collect';
import { crlFilesCollector, crlsCollector, revocationCollector } from '@/lib/pki/crl/collect';
import { FEDERATION_COLLECTORS } from '@/lib/adfs/collect';
import { pasteCollector } from '@/lib/paste/collect';
import { makeEntraCollector } from '@/lib/entra/collect';
import { graphReader } from '@/lib/graph/collect';
import { deviceCollector } from '@/lib/device/collect';

export const ALL_COLLECTORS: Collector[] = [
  filesCollector,
  userCollector,
  aiaCollector,
  crlDownloadsCollector,
  chainCollector,
  crlFilesCollector,
  crlsCollector,
  revocationCollector,
  ...FEDERATION_COLLECTORS,
  pasteCollector,
  makeEntraCollector({}, graphReader),
  deviceCollector,
];
