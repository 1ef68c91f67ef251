'use client';
import { useEffect, useRef, useState } from 'react';
import { copyText } from './clipboard';

/**
 * A button that copies text and says so (visibly and to screen readers). `text` is a string when a server component
 * renders the button (functions cannot cross to the client), or a function computed on click.
 */
export function CopyButton({ text, label, className = '', copiedLabel = 'Copied' }: { text: string | (() => string | Promise<string>); label: string; className?: string; copiedLabel?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className={`btn ${className}`}
      onClick={async () => {
        let ok = false;
        try {
          ok = await copyText(typeof text === 'string' ? text : await text());
        } catch {
          ok = false;
        }
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
