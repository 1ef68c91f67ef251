// Structured JSON logs (pino), one process-wide logger. Log ids, statuses and durations: never certificate contents,
// pasted text, deletion tokens or the database password.
import pino, { type Logger } from 'pino';

const KEY = Symbol.for('cba-doctor.logger');
type Holder = { [KEY]?: Logger };

function make(): Logger {
  // CBA_DOCTOR_LOG_LEVEL: pino's levels (fatal, error, warn, info, debug, trace, silent). Tests default to warn.
  const level = process.env.CBA_DOCTOR_LOG_LEVEL || (process.env.VITEST ? 'warn' : 'info');
  return pino({
    level,
    base: { service: 'cba-doctor', pid: process.pid },
    redact: { paths: ['deleteToken', 'token', 'authorization', '*.authorization', 'password', '*.password'], censor: '[redacted]' },
  });
}

export function log(): Logger {
  const g = globalThis as Holder;
  return (g[KEY] ??= make());
}

/** Replaces the process logger (tests read what the portal logs through a stream of their own). */
export function setLogger(l: Logger | undefined): void {
  (globalThis as Holder)[KEY] = l;
}

export function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
