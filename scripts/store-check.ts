// `npm start` runs this (bundled as dist/store-check.mjs) before the server: opens the configured report store the way
// the server will, and exits 1 with one line naming the setting and the problem when it cannot be used.
import { PostgresReportStore, SqliteReportStore, storeConfig, StoreError } from '@/lib/store';

async function main(): Promise<number> {
  const config = storeConfig();
  try {
    const store = config.databaseUrl ? await PostgresReportStore.open(config.databaseUrl) : new SqliteReportStore(config.file);
    await store.close();
    return 0;
  } catch (e) {
    const msg = e instanceof StoreError ? e.message : `the report store could not be opened: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`cba-doctor: cannot start: ${msg}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
