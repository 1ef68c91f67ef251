// The worker thread's module (bundled into dist/worker.mjs by scripts/build-cli.mjs): tinypool calls the export named
// by each task with the task's argument.
import 'reflect-metadata';

export { chain, parseCertFile, readCrl, readCrlDownload, revocation, screenCertFile } from './tasks';
