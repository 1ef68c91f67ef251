// A long value (a certificate field of thousands of characters) shown collapsed: the start and its length, the rest
// on request, so one odd certificate does not bury the page.
export const COLLAPSE_AT = 300;

export function LongText({ text, className = '' }: { text: string; className?: string }) {
  if (text.length <= COLLAPSE_AT) return <span className={className}>{text}</span>;
  return (
    <details className={`long-value ${className}`}>
      <summary className="cursor-pointer">
        <span className="break-all">{text.slice(0, 120)}…</span>{' '}
        <span className="text-slate-600">({text.length.toLocaleString('en-US')} characters; show all)</span>
      </summary>
      <span className="break-all whitespace-pre-wrap">{text}</span>
    </details>
  );
}
