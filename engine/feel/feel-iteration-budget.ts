/**
 * A bound on FEEL's loops over ranges. feelin evaluates synchronously on the engine's one thread, so
 * `for i in 1..100000000 return i` in a decision's output entry (or any FEEL expression) held the engine for
 * minutes and then ran it out of memory, every other caller waiting. Iterating a range goes through
 * `FeelRange.prototype.map` (`for`, `some`, `every` over `a..b`); this module wraps it so that the range
 * elements iterated within one synchronous turn of the event loop (one command batch) stay under
 * MAX_RANGE_ELEMENTS_PER_TURN and the turn's FEEL iteration under MAX_RANGE_MS_PER_TURN. Past either, the
 * iteration throws, which feelin's callers report as a failed evaluation (an incident, or `failureMessage` in the answer of
 * `POST /decision-definitions/evaluation`) instead of a stuck engine.
 *
 * Not bounded here: loops over lists a caller sends as variables (bounded by the 16 MB body) and their
 * cartesian products (`for a in list, b in list`).
 */
import { FeelRange } from 'feelin';

export const MAX_RANGE_ELEMENTS_PER_TURN = 1_000_000;
export const MAX_RANGE_MS_PER_TURN = 2_000;

let elements = 0;
let startedAt = 0;
let resetScheduled = false;

function resetTurn(): void {
  elements = 0;
  resetScheduled = false;
}

/** Counts one iterated range element; throws once this turn has iterated too many or for too long. */
function spendOne(): void {
  if (!resetScheduled) {
    resetScheduled = true;
    startedAt = Date.now();
    setImmediate(resetTurn);
  }
  elements += 1;
  if (elements > MAX_RANGE_ELEMENTS_PER_TURN) {
    throw new Error(`FEEL iteration stopped: more than ${MAX_RANGE_ELEMENTS_PER_TURN} range elements iterated at once; iterate a smaller range`);
  }
  if ((elements & 1023) === 0 && Date.now() - startedAt > MAX_RANGE_MS_PER_TURN) {
    throw new Error(`FEEL iteration stopped: iterating ranges took more than ${MAX_RANGE_MS_PER_TURN} ms; iterate a smaller range`);
  }
}

interface MappableRange {
  map(fn: (value: unknown) => unknown): unknown[];
}

const proto = FeelRange.prototype as unknown as MappableRange & { __speBudget?: true };
if (!proto.__speBudget) {
  const originalMap = proto.map;
  proto.map = function boundedMap(this: MappableRange, fn: (value: unknown) => unknown): unknown[] {
    return originalMap.call(this, (value: unknown) => {
      spendOne();
      return fn(value);
    });
  };
  Object.defineProperty(proto, '__speBudget', { value: true });
}

/** For tests: start a fresh turn budget now. */
export function resetFeelIterationBudget(): void {
  resetTurn();
}
