import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, PENDING_CHECKS } from '@/lib/checks/registry';
import { ALL_COLLECTORS } from '@/lib/report/collectors';

// docs/CHECKS.md is the project's copy of the shared check catalog (the contract other tools read).
const catalog = readFileSync('docs/CHECKS.md', 'utf8');
const catalogIds = [...catalog.matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \|/gm)].map((m) => m[1]);

describe('check registry', () => {
  it('reads the catalog', () => {
    expect(catalogIds.length).toBeGreaterThan(30);
  });

  it('has unique ids', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('implements or lists as pending every catalog id, and nothing else is pending', () => {
    const implemented = new Set(ALL_CHECKS.map((c) => c.id));
    for (const id of catalogIds) expect(implemented.has(id) || PENDING_CHECKS.includes(id), id).toBe(true);
    for (const id of PENDING_CHECKS) {
      expect(catalogIds, `pending ${id} is not in the catalog`).toContain(id);
      expect(implemented.has(id), `${id} is implemented but still listed as pending`).toBe(false);
    }
  });

  it('keeps catalog order and category prefixes', () => {
    const pos = ALL_CHECKS.map((c) => catalogIds.indexOf(c.id)).filter((i) => i >= 0);
    expect(pos).toEqual([...pos].sort((a, b) => a - b));
    for (const c of ALL_CHECKS) expect(c.id.split('.')[0]).toBe(c.category);
  });

  it('gives every check its metadata as data', () => {
    for (const c of ALL_CHECKS) {
      expect(c.title.length, c.id).toBeGreaterThan(3);
      expect(c.description.length, c.id).toBeGreaterThan(20);
      expect(c.citation.length, c.id).toBeGreaterThan(2);
    }
  });

  it('declares prerequisites on registered checks, without cycles, and cites sources by URL', () => {
    const byId = new Map(ALL_CHECKS.map((c) => [c.id, c]));
    for (const c of ALL_CHECKS) {
      for (const p of c.prerequisites ?? []) expect(byId.has(p.check), `${c.id} waits for ${p.check}`).toBe(true);
      for (const src of c.sources ?? []) expect(src.url, `${c.id} ${src.key}`).toMatch(/^https:\/\//);
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (id: string, trail: string[]) => {
      expect(visiting.has(id), `prerequisite cycle: ${[...trail, id].join(' → ')}`).toBe(false);
      if (done.has(id)) return;
      visiting.add(id);
      for (const p of byId.get(id)?.prerequisites ?? []) visit(p.check, [...trail, id]);
      visiting.delete(id);
      done.add(id);
    };
    for (const c of ALL_CHECKS) visit(c.id, []);
  });

  it('has a collector for every artifact a check needs', () => {
    const provided = new Set(ALL_COLLECTORS.flatMap((c) => c.provides));
    for (const c of ALL_CHECKS) for (const k of c.needs) expect(provided.has(k), `${c.id} needs ${k}`).toBe(true);
    const names = ALL_COLLECTORS.flatMap((c) => c.provides);
    expect(new Set(names).size, 'an artifact is provided by two collectors').toBe(names.length);
  });
});
