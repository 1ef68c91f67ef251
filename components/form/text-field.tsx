import type { InputHTMLAttributes } from 'react';
import type { Field } from '@/lib/report/submission';

type Props = { name: Field; label: string; hint?: string; error?: string; className?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'className'>;

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function TextField({ name, label, hint, error, className = '', ...rest }: Props) {
  const describedBy = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={name} className="block font-medium">
        {label}
      </label>
      <input id={name} name={name} data-field={name} className="field-input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...rest} />
      {hint && (
        <p id={`${name}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
