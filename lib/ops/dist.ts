// Files that scripts/build-cli.mjs bundles into dist/ (the worker threads' module, the server-rendered pages), found
// next to the running code or under the project root: bundlers may rewrite or drop import.meta.url, and the working
// directory is the fallback (`npm start` runs in the root).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findDistFile(name: string): string | undefined {
  const starts: string[] = [process.cwd()];
  try {
    starts.unshift(path.dirname(fileURLToPath(import.meta.url)));
  } catch {
    /* not a file URL */
  }
  for (const start of starts) {
    for (let d = start, i = 0; i < 8; i++, d = path.dirname(d)) {
      // Run-time lookup on purpose: the bundler must not trace the project from here.
      const f = path.basename(d) === 'dist' ? path.join(/* turbopackIgnore: true */ d, name) : path.join(/* turbopackIgnore: true */ d, 'dist', name);
      if (existsSync(f)) return f;
      if (path.dirname(d) === d) break;
    }
  }
  return undefined;
}
