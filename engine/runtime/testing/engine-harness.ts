/**
 * Builds an EngineCore on the in-memory fake store, for unit tests of the interpreter without HTTP.
 */
import pino from 'pino';
import { EngineClock } from '../clock.js';
import { EngineCore, type EngineCoreOptions } from '../engine.js';
import { EngineQueryService } from '../engine-queries.js';
import { InMemoryStore } from './in-memory-store.js';

export async function createTestEngine(options: Pick<EngineCoreOptions, 'taskListenerRequestTimeout'> = {}) {
  const store = new InMemoryStore();
  const clock = new EngineClock();
  const core = await EngineCore.open({ store, logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50, ...options });
  const queries = new EngineQueryService(store, clock, () => core.runtime);
  const deploy = (name: string, xml: string) => core.deploy([{ name, content: Buffer.from(xml) }]);
  return { core, queries, store, clock, deploy };
}
