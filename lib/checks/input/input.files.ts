import type { CheckDef } from '../types';

export const inputFiles: CheckDef = {
  id: 'input.files',
  category: 'input',
  title: 'Uploaded files hold certificates',
  description:
    'Every uploaded file should give at least one certificate (DER, PEM with one or more blocks, or a PKCS#7 bundle). Files that hold a private key are refused and never stored.',
  citation: 'CHECKS.md input.files',
  needs: ['files'],
  applies: (a) => (a.files?.length ? true : 'No certificate file was given.'),
  run(a) {
    const files = a.files!;
    const bad = files.filter((f) => f.problem);
    const evidence = {
      files: files.map((f) => ({
        fileName: f.fileName,
        size: f.size,
        format: f.kind ?? null,
        certificates: f.refs,
        status: f.problem ? 'fail' : 'pass',
        problem: f.problem?.reason ?? null,
        message: f.problem?.message ?? null,
        notes: f.notes,
      })),
    };
    if (!bad.length) {
      const n = new Set(files.flatMap((f) => f.refs)).size;
      return { status: 'pass', summary: `${files.length} file(s) read, ${n} distinct certificate(s) found.`, evidence };
    }
    const secret = bad.some((f) => f.problem!.reason === 'pkcs12' || f.problem!.reason === 'private-key');
    return {
      status: 'fail',
      summary: `${bad.length} of ${files.length} file(s) gave no certificate: ${bad.map((f) => `${f.fileName} (${f.problem!.reason})`).join(', ')}. The diagnosis continued with the rest.`,
      evidence,
      remediation: [
        ...(secret
          ? [
              {
                text: 'Export the certificate without its private key (Certificates console: All Tasks > Export > "No, do not export the private key"), or strip the key with OpenSSL:',
                command: 'openssl pkcs12 -in user.pfx -nokeys -clcerts -out user.pem',
              },
            ]
          : []),
        ...bad
          .filter((f) => f.problem!.reason !== 'pkcs12' && f.problem!.reason !== 'private-key')
          .map((f) => ({ text: `${f.fileName}: ${f.problem!.message}` })),
      ],
    };
  },
};
