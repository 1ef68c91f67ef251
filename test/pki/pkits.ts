// The NIST PKITS suite as copied into test/fixtures/pkits: its cases, expected verdicts and validation time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PKITS_DIR = join(import.meta.dirname, '..', 'fixtures', 'pkits');

export interface PkitsCase {
  id: string;
  title: string;
  trustAnchor: string;
  certs: string[];
  crls: string[];
  expected: 'valid' | 'invalid';
}

export const pkits = JSON.parse(readFileSync(join(PKITS_DIR, 'tests.json'), 'utf8')) as { validationTime: string; tests: PkitsCase[] };
