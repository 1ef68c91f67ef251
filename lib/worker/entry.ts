// The worker thread's module (bundled into dist/worker.mjs by scripts/build-cli.mjs): tinypool calls the export named
// by each task with the task's argument.
import 'reflect-metadata';
import { isMainThread } from 'node:worker_threads';
import { niceThisThread } from './nice';

// Requests come first: this thread gives way to the one that serves them (nice.ts).
if (!isMainThread) niceThisThread();

export { chain, parseCertFile, readCrl, readCrlDownload, revocation, screenCertFile, threadPriority } from './tasks';
