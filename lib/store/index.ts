// The report store: one interface (types.ts), SQLite (default) and PostgreSQL (CBA_DOCTOR_DATABASE_URL).
export * from './types';
export { hashToken } from './token';
export { storeConfig, redactUrl, diagnosisDeadlineMs, type StoreConfig } from './config';
export { SqliteReportStore, prepareSqlitePath, sqliteStoreError } from './sqlite';
export { PostgresReportStore, pgStoreError } from './postgres';
export { openStore, getStore, getOpenedStore, type OpenedStore } from './open';
