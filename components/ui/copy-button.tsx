'use client';
import { useEffect, useRef, useState } from 'react';
import { copyText } from './clipboard';

/** A button that copies text and says so (visibly and to screen readers). */
export function CopyButton({ text, label, className = '', copiedLabel = 'Copied' }: { text: () => string | Promise<string>; label: string; className?: string; copiedLabel?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className={`btn ${className}`}
      onClick={async () => {
        const ok = await copyText(await text());
        setState(ok ? 'copied' : 'failed');
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState('idle'), 2500);
      }}
    >
      {label}
      <span role="status" aria-live="polite" className={state === 'idle' ? 'sr-only' : 'ml-1 text-xs font-normal'}>
        {state === 'copied' ? `(${copiedLabel})` : state === 'failed' ? '(Copy failed: select and copy by hand)' : ''}
      </span>
    </button>
  );
}
