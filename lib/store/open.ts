// Opening the configured store once per process, with the start-up sweep and the hourly retention purge.
import { storeConfig, type StoreConfig } from './config';
import { PostgresReportStore } from './postgres';
import { SqliteReportStore } from './sqlite';
import { StoreError, type ReportStore } from './types';

const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface OpenedStore {
  store: ReportStore;
  kind: 'sqlite' | 'postgres';
  stop: () => void;
}

/**
 * Opens the store and checks it can be read and written (a bad path, a damaged or read-only file, an unreachable
 * database throw a StoreError whose message is one line naming the setting). With SQLite, reports left `running` by a
 * previous process are marked `interrupted` (one process owns the file); with PostgreSQL other instances may be
 * running them, and the job queue recovers them instead.
 */
export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  let store: ReportStore;
  let kind: OpenedStore['kind'];
  if (config.databaseUrl) {
    store = await PostgresReportStore.open(config.databaseUrl);
    kind = 'postgres';
  } else {
    store = new SqliteReportStore(config.file);
    kind = 'sqlite';
    await store.markRunningInterrupted();
  }
  const purge = () => store.purge(new Date(Date.now() - config.retentionDays * 86_400_000)).catch(() => 0);
  await purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return { store, kind, stop: () => clearInterval(timer) };
}

// Next bundles route handlers, pages and server actions separately; one process-wide instance lives on globalThis
// so they all share the same connection and the startup sweep runs exactly once per process.
const KEY = Symbol.for('cba-doctor.store');
type Holder = { [KEY]?: Promise<OpenedStore> };

export function getOpenedStore(): Promise<OpenedStore> {
  const g = globalThis as Holder;
  g[KEY] ??= openStore(storeConfig()).catch((e) => {
    // Retried on the next call (the server exits at start on a failure, but tests and the CLI may call again).
    delete g[KEY];
    throw e instanceof StoreError ? e : new StoreError(`the report store could not be opened: ${e instanceof Error ? e.message : String(e)}`, true);
  });
  return g[KEY];
}

export async function getStore(): Promise<ReportStore> {
  return (await getOpenedStore()).store;
}
