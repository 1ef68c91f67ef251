// The bundle entry of bin/cba-doctor: runs the CLI on the process arguments (main.ts stays importable,
// so tests can run the same CLI in-process).
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`cba-doctor: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
