// A button that copies text and says so (visibly and to screen readers), as server-rendered markup: the report page's
// script (components/islands/report.ts) does the copying. `text` is the text itself, or `action` names what the
// script computes on click ("link": the report's address, "markdown": the Markdown summary).
export function CopyButton({ text, action, label, className = '' }: { text?: string; action?: 'link' | 'markdown'; label: string; className?: string }) {
  return (
    <button type="button" className={`btn ${className}`} data-copy={text ?? ''} data-copy-action={action}>
      {label}
      <span role="status" aria-live="polite" className="sr-only" data-copy-status="" />
    </button>
  );
}
