// The report store moved to lib/store (SQLite and PostgreSQL behind one interface); this keeps old imports working.
export * from '@/lib/store';
