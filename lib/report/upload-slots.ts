// A bound on submissions being received and checked at once. Each holds its body in memory (up to ~10 MB) and work on
// the worker pool; past the bound a submission is refused at once with 503 and Retry-After, before its body is read,
// rather than queued in memory behind the others. The per-client rate limit cannot do this: X-Forwarded-For is forged
// at will when no proxy overwrites it.
import type { FieldError } from './submission';

export class Slots {
  private used = 0;
  constructor(readonly max: number) {}

  get inUse(): number {
    return this.used;
  }

  /** A release function, or undefined when every slot is taken. */
  take(): (() => void) | undefined {
    if (this.used >= this.max) return undefined;
    this.used++;
    let released = false;
    return () => {
      if (!released) this.used--;
      released = true;
    };
  }
}

/** Seconds a refused client is asked to wait: a submission is received and checked in a few seconds. */
export const UPLOAD_RETRY_AFTER_S = 10;

export const UPLOADS_BUSY: FieldError = {
  field: null,
  reason: 'busy',
  error: `The server is receiving as many submissions as it can right now; try again in ${UPLOAD_RETRY_AFTER_S} seconds.`,
};

const KEY = Symbol.for('cba-doctor.upload-slots');
/** The process's bound: CBA_DOCTOR_MAX_UPLOADS (default 8) submissions received and checked at once. */
export function uploadSlots(env: Record<string, string | undefined> = process.env): Slots {
  const g = globalThis as { [KEY]?: Slots };
  const n = Number(env.CBA_DOCTOR_MAX_UPLOADS ?? '8');
  return (g[KEY] ??= new Slots(Number.isInteger(n) && n > 0 ? n : 8));
}
