// Store settings from the environment. CBA_DOCTOR_DATABASE_URL (postgres://...) selects PostgreSQL; otherwise the
// SQLite file CBA_DOCTOR_DB is used.

export interface StoreConfig {
  file: string;
  retentionDays: number;
  /** postgres://user:password@host:port/db; unset = SQLite. */
  databaseUrl?: string;
}

export function storeConfig(env: Record<string, string | undefined> = process.env): StoreConfig {
  const days = Number(env.CBA_DOCTOR_RETENTION_DAYS ?? '30');
  const url = env.CBA_DOCTOR_DATABASE_URL?.trim();
  return {
    file: env.CBA_DOCTOR_DB || './data/cba-doctor.db',
    retentionDays: Number.isFinite(days) && days > 0 ? days : 30,
    ...(url ? { databaseUrl: url } : {}),
  };
}

/** The database URL without its password, for logs and error lines. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** Seconds a diagnosis may run before it is stopped and its report marked interrupted. */
export function diagnosisDeadlineMs(env: Record<string, string | undefined> = process.env): number {
  const s = Number(env.CBA_DOCTOR_DIAGNOSIS_DEADLINE_S ?? '300');
  return (Number.isFinite(s) && s >= 5 ? s : 300) * 1000;
}
