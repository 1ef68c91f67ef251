import { describe, expect, it } from 'vitest';
import { backgroundTurn } from './turns';

describe('backgroundTurn', () => {
  it('releases one waiter per event-loop iteration, in order, with I/O-phase callbacks in between', async () => {
    const log: string[] = [];
    // Three "diagnoses" each taking two steps; a setImmediate chain stands for a request that needs one step per
    // iteration. With plain setImmediate all three diagnoses would run between two steps of the request.
    const diagnosis = async (name: string) => {
      for (let step = 1; step <= 2; step++) {
        await backgroundTurn();
        log.push(`${name}${step}`);
      }
    };
    let req = 0;
    const request = new Promise<void>((done) => {
      const tick = () => {
        log.push(`r${++req}`);
        if (req < 7) setImmediate(tick);
        else done();
      };
      setImmediate(tick);
    });
    await Promise.all([diagnosis('a'), diagnosis('b'), diagnosis('c'), request]);
    const steps = log.filter((x) => !x.startsWith('r'));
    expect(steps).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    // Between two consecutive request steps, at most one diagnosis step ran.
    const between = log.join(' ').split(/r\d+/).map((s) => s.trim()).filter(Boolean);
    expect(between.every((s) => s.split(' ').length === 1)).toBe(true);
  });
});
