// Outbound failures as events, so operations code (metrics) can count them without lib/net knowing about it.
const KEY = Symbol.for('cba-doctor.net-failure-listeners');
type Listener = (probe: 'http' | 'tcp', kind: string) => void;

function listeners(): Set<Listener> {
  const g = globalThis as { [KEY]?: Set<Listener> };
  return (g[KEY] ??= new Set());
}

export function onNetFailure(fn: Listener): () => void {
  listeners().add(fn);
  return () => listeners().delete(fn);
}

export function netFailure(probe: 'http' | 'tcp', kind: string): void {
  for (const fn of listeners()) {
    try {
      fn(probe, kind);
    } catch {
      /* a listener never breaks a probe */
    }
  }
}
