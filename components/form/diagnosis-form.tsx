'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition, type FormEvent } from 'react';
import { createReportAction } from '@/lib/actions';
import { checkFileList, checkPasted, checkTextFields, LIMITS, type Field, type FieldError } from '@/lib/report/submission';
import { DropZone } from './drop-zone';
import { sniffFile } from './sniff';
import { TextField } from './text-field';
import { tokenKey } from '@/components/report/token';

type Errors = Partial<Record<Field, string>>;

const FIELD_LABEL: Record<Field, string> = {
  certificates: 'Certificate files',
  upn: 'Sign-in address',
  federationHost: 'AD FS federation host',
  nodes: 'AD FS or proxy node addresses',
  tlsClientPort: 'TLS client port',
  target: 'Authentication target',
  pasted: 'Pasted command output',
};

const ADVANCED: Field[] = ['nodes', 'tlsClientPort', 'target'];

async function checkFilesInBrowser(files: File[]): Promise<FieldError | undefined> {
  const listed = checkFileList(files, { strictExtensions: true });
  if (listed) return listed;
  for (const f of files) {
    const kind = await sniffFile(f);
    if (kind !== 'ok')
      return {
        field: 'certificates',
        reason: kind,
        error: `${f.name} holds a private key${kind === 'pkcs12' ? ' (PKCS#12/PFX)' : ''}, which CBA Doctor never accepts. Export the certificate without its private key (Certificates console: All Tasks > Export > "No, do not export the private key").`,
      };
  }
  return undefined;
}

export function DiagnosisForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [pasted, setPasted] = useState<string[]>(['']);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const pasteId = useId();

  const setFieldErrors = (list: FieldError[]) => {
    const next: Errors = {};
    for (const e of list) if (e.field && !next[e.field]) next[e.field] = e.error;
    setErrors(next);
    const general = list.find((e) => !e.field);
    setFormError(general?.error);
    if (list.some((e) => e.field && ADVANCED.includes(e.field))) setAdvancedOpen(true);
    const n = list.length;
    setAnnounce(n ? `The form has ${n} problem${n > 1 ? 's' : ''}: ${list.map((e) => e.error).join(' ')}` : '');
    const first = list.find((e) => e.field)?.field;
    // Let the advanced section open before moving focus into it.
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
  };

  const addFiles = async (added: File[]) => {
    const all = [...files, ...added.filter((a) => !files.some((f) => f.name === a.name && f.size === a.size))];
    setFiles(all);
    const e = added.length ? await checkFilesInBrowser(all) : undefined;
    setErrors((prev) => ({ ...prev, certificates: e?.error }));
    if (e) setAnnounce(e.error);
    else setAnnounce(`${all.length} file${all.length === 1 ? '' : 's'} selected.`);
  };

  const removeFile = async (i: number) => {
    const all = files.filter((_, j) => j !== i);
    setFiles(all);
    const e = all.length ? await checkFilesInBrowser(all) : undefined;
    setErrors((prev) => ({ ...prev, certificates: e?.error }));
    setAnnounce(`Removed ${files[i].name}. ${all.length} file${all.length === 1 ? '' : 's'} selected.`);
  };

  async function onSubmit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const fd = new FormData(ev.currentTarget);
    const text = (k: Field) => String(fd.get(k) ?? '').trim();
    const fields = { upn: text('upn'), federationHost: text('federationHost'), nodes: text('nodes'), tlsClientPort: text('tlsClientPort'), target: text('target') };
    const problems: FieldError[] = [];
    const fileProblem = await checkFilesInBrowser(files);
    if (fileProblem) problems.push(fileProblem);
    problems.push(...checkTextFields(fields));
    const pasteProblem = checkPasted(pasted);
    if (pasteProblem) problems.push(pasteProblem);
    if (problems.length) return setFieldErrors(problems);

    const body = new FormData();
    for (const f of files) body.append('certificates', f, f.name);
    for (const [k, v] of Object.entries(fields)) if (v) body.append(k, v);
    for (const p of pasted) if (p.trim()) body.append('pasted', p);
    setFieldErrors([]);
    setAnnounce('Uploading and starting the diagnosis…');
    startTransition(async () => {
      try {
        const r = await createReportAction(body);
        if (!r.ok) return setFieldErrors([r.error]);
        try {
          localStorage.setItem(tokenKey(r.id), r.deleteToken);
        } catch {
          /* private mode: the report still works, only Delete is not offered */
        }
        setAnnounce('Diagnosis started. Opening the report…');
        router.push(`/r/${r.id}`);
      } catch {
        setFieldErrors([{ field: null, reason: 'bad-request', error: 'The upload did not reach the server or was too large. Check your connection and the file sizes, then try again.' }]);
      }
    });
  }

  const errorList = Object.entries(errors).filter(([, v]) => v) as [Field, string][];

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-describedby="form-status" className="space-y-6">
      <div id="form-status" role="status" aria-live="polite" className="sr-only">
        {announce}
      </div>
      {(errorList.length > 0 || formError) && (
        <div className="rounded-md border-2 border-red-700 bg-red-50 p-4" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title" className="font-semibold text-red-900">
            Please fix the following before running the diagnosis
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-900">
            {formError && <li>{formError}</li>}
            {errorList.map(([field, msg]) => (
              <li key={field}>
                <a className="underline" href={`#${field}`} onClick={(e) => { e.preventDefault(); formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus(); }}>
                  {FIELD_LABEL[field]}
                </a>
                : {msg}
              </li>
            ))}
          </ul>
        </div>
      )}

      <DropZone files={files} onAdd={addFiles} onRemove={removeFile} error={errors.certificates} />

      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="upn"
          label="User's sign-in address"
          type="email"
          autoComplete="off"
          placeholder="alice@contoso.com"
          hint="The UPN the user signs in with. Used to match the certificate and to discover the realm."
          error={errors.upn}
        />
        <TextField
          name="federationHost"
          label="AD FS federation host (optional)"
          placeholder="sts.contoso.com"
          hint="Leave empty to take it from realm discovery."
          error={errors.federationHost}
        />
      </div>

      <details
        className="rounded-md border border-slate-300 bg-white p-4"
        open={advancedOpen}
        onToggle={(e) => setAdvancedOpen((e.target as HTMLDetailsElement).open)}
      >
        <summary className="cursor-pointer font-medium">Advanced: nodes, port, target</summary>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <TextField
            name="nodes"
            label="AD FS or proxy node addresses"
            placeholder="203.0.113.10, 203.0.113.11"
            hint={`Probe these servers directly (up to ${LIMITS.maxNodes}), separated by commas or spaces.`}
            error={errors.nodes}
            className="sm:col-span-2"
          />
          <TextField name="tlsClientPort" label="TLS client port" inputMode="numeric" placeholder="49443" hint="The certificate authentication port (49443 unless changed)." error={errors.tlsClientPort} />
          <div>
            <label htmlFor="target" className="block font-medium">
              Authentication target
            </label>
            <select id="target" name="target" data-field="target" className="field-input" defaultValue="auto" aria-describedby="target-hint">
              <option value="auto">Detect (realm discovery)</option>
              <option value="adfs">Federated through AD FS</option>
              <option value="entra">Entra native CBA</option>
            </select>
            <p id="target-hint" className="field-hint">
              Which limits to apply when discovery cannot tell.
            </p>
          </div>
        </div>
      </details>

      <details className="rounded-md border border-slate-300 bg-white p-4" open={!!errors.pasted || undefined}>
        <summary className="cursor-pointer font-medium">Pasted command output (optional)</summary>
        <p id={`${pasteId}-hint`} className="field-hint">
          Paste the output of commands such as <code>Get-MsolDomainFederationSettings</code>, <code>Get-AdfsAuthenticationProvider</code>,{' '}
          <code>netsh http show sslcert</code> or <code>certutil -verify -urlfetch</code>, one command per box.
        </p>
        <div className="mt-3 space-y-3">
          {pasted.map((p, i) => (
            <div key={i}>
              <label htmlFor={`pasted-${i}`} className="block text-sm font-medium">
                Command output {i + 1}
              </label>
              <textarea
                id={`pasted-${i}`}
                data-field={i === 0 ? 'pasted' : undefined}
                rows={5}
                value={p}
                onChange={(e) => setPasted(pasted.map((x, j) => (j === i ? e.target.value : x)))}
                className="field-input font-mono text-sm"
                spellCheck={false}
                aria-invalid={errors.pasted ? true : undefined}
                aria-describedby={`${pasteId}-hint${errors.pasted ? ' pasted-error' : ''}`}
              />
            </div>
          ))}
        </div>
        {errors.pasted && (
          <p id="pasted-error" className="field-error">
            {errors.pasted}
          </p>
        )}
        {pasted.length < LIMITS.maxPastedBlocks && (
          <button type="button" className="btn mt-3" onClick={() => setPasted([...pasted, ''])}>
            Add another box
          </button>
        )}
      </details>

      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary px-5 py-2 text-base" disabled={pending}>
          {pending ? 'Starting…' : 'Run diagnosis'}
        </button>
        <p className="text-sm text-slate-600">Private keys are never accepted. Uploaded files are not kept; the report is.</p>
      </div>
    </form>
  );
}
