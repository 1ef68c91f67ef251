// Background work takes turns with the requests. A diagnosis on the main thread (the checks, the report it publishes)
// gives way between its steps; if every running diagnosis resumed in the same loop iteration, a request that needs
// several iterations to be answered would wait behind all of them each time (four big uploads: 200 ms and more).
// Here the waiting steps are released one per event-loop iteration, in arrival order, so a request waits behind at
// most one step per iteration however many diagnoses run.
const waiting: (() => void)[] = [];
let scheduled = false;

function releaseOne() {
  const next = waiting.shift();
  if (waiting.length) setImmediate(releaseOne);
  else scheduled = false;
  next?.();
}

/** Resolves in a later event-loop iteration, after I/O (requests) had its turn; one waiter per iteration. */
export function backgroundTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(releaseOne);
    }
  });
}
