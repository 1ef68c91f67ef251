import { useState, type DragEvent } from 'react';
import { ACCEPTED_EXTENSIONS, formatBytes, LIMITS } from '@/lib/report/submission';

/** Drop area plus a real file input (the keyboard and screen-reader path); both feed the same list. */
export function DropZone({ files, onAdd, onRemove, error }: { files: File[]; onAdd: (f: File[]) => void; onRemove: (i: number) => void; error?: string }) {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onAdd([...e.dataTransfer.files]);
  };
  const describedBy = `certificates-hint${error ? ' certificates-error' : ''}`;
  return (
    <fieldset>
      <legend className="font-medium">Certificate files</legend>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
        className={`mt-1 flex min-h-32 flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-6 text-center focus-within:outline-2 focus-within:outline-blue-700 ${
          error ? 'border-red-700 bg-red-50' : over ? 'border-blue-700 bg-blue-50' : 'border-slate-400 bg-white'
        }`}
      >
        <p className="text-slate-800">Drop the user certificate and its CA certificates here, or</p>
        <label htmlFor="certificates" className="btn cursor-pointer">
          Choose files
        </label>
        <input
          id="certificates"
          name="certificates"
          data-field="certificates"
          type="file"
          multiple
          accept={ACCEPTED_EXTENSIONS.join(',')}
          className="sr-only"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            onAdd([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      <p id="certificates-hint" className="field-hint">
        {ACCEPTED_EXTENSIONS.join(' ')} (DER, PEM or PKCS#7), up to {LIMITS.maxFiles} files of {formatBytes(LIMITS.maxFileBytes)} each. Never a .pfx or a private key.
      </p>
      {error && (
        <p id="certificates-error" className="field-error">
          {error}
        </p>
      )}
      {files.length > 0 && (
        <ul aria-label="Selected files" className="mt-3 divide-y divide-slate-200 rounded-md border border-slate-300 bg-white">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <span className="min-w-0 font-mono [overflow-wrap:anywhere]">{f.name}</span>
              <span className="flex shrink-0 items-center gap-3">
                <span className="text-slate-600">{formatBytes(f.size)}</span>
                <button type="button" className="btn px-2 py-0.5 text-xs" onClick={() => onRemove(i)} aria-label={`Remove ${f.name}`}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
