/**
 * For tests of the engine-command outbox: an EnginePort that keeps message ids as Zeebe does (a second
 * publication with the same id, name and correlation key is a `duplicate`, not a second message), with switches
 * for the next publications' faults (`lose-answer`: the engine takes it but the answer is lost; `unreachable`:
 * it never arrives) and for whether the process is waiting for the message.
 */
import { UnavailableError } from '../../../shared/index.js';
import type { EnginePort, PublishMessageRequest } from '../engine-port.js';

export type InjectedEngineFault = 'lose-answer' | 'unreachable';

export function createIdKeepingEngine() {
  const taken: PublishMessageRequest[] = [];
  const faults: InjectedEngineFault[] = [];
  let waiting = true;
  const engine = {
    /** The messages the engine holds, in the order it took them. */
    taken,
    /** The next publications fail this way, one fault each, in order. */
    failNext: (...kinds: InjectedEngineFault[]) => faults.push(...kinds),
    setWaiting: (value: boolean) => (waiting = value),
    async isWaitingFor() {
      await Promise.resolve();
      return waiting;
    },
    async publishMessage(request: PublishMessageRequest) {
      // A moment on the wire, so concurrent publications interleave as they would over HTTP.
      await new Promise((resolve) => setTimeout(resolve, 2));
      const fault = faults.shift();
      if (fault === 'unreachable') throw new UnavailableError('connect ECONNREFUSED (injected)');
      if (taken.some((m) => m.messageId === request.messageId && m.name === request.name && m.correlationKey === request.correlationKey)) return 'duplicate' as const;
      taken.push(request);
      if (fault === 'lose-answer') throw new UnavailableError('socket hang up after the engine accepted (injected)');
      return 'published' as const;
    },
  };
  return engine as typeof engine & EnginePort;
}
