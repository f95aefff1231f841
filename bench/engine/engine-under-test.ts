/**
 * Our engine, started in this process via `startEngine()` on a fresh PostgreSQL schema, plus the official
 * client pointed at it. `close()` stops the engine and drops the schema.
 */
import { startEngine, type EngineCredentials } from '../../engine/index.js';
import { createCamundaClient, type CamundaClient, type EngineTarget } from '../../test/support/camunda-client.js';
import { createPostgresSchema } from '../../test/support/test-database.js';
import { nextMessage, startThread } from './thread.js';

export interface EngineUnderTest {
  /** URL and credential (the engine takes HTTP Basic). */
  target: EngineTarget;
  client: CamundaClient;
  /** CPU ms the engine's thread has used so far; only when the engine runs in a thread of its own. */
  engineCpuMs?: () => Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startEngineUnderTest(databaseUrl: string, label: string): Promise<EngineUnderTest> {
  let db;
  try {
    db = await createPostgresSchema(databaseUrl, `bench_${label}`);
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at ${databaseUrl} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start PostgreSQL or point DATABASE_URL at one; the benchmark measures the durable engine on PostgreSQL.',
    );
  }
  const engine = await startEngine({ port: 0, databaseUrl, schema: db.schema, logLevel: 'warn' });
  return {
    target: { url: engine.url, credentials: engine.credentials },
    client: createCamundaClient(engine),
    close: async () => {
      await engine.stop();
      await db.drop();
    },
  };
}

/**
 * The same, but the engine runs in a worker thread of this process: the engine and the clients under load
 * each get a core, as when the engine runs as its own server. Still one process, one run.
 */
export async function startEngineInThread(databaseUrl: string, label: string): Promise<EngineUnderTest> {
  const db = await createPostgresSchema(databaseUrl, `bench_${label}`);
  const thread = startThread('./engine-thread-main.ts', { databaseUrl, schema: db.schema });
  const { url, credentials } = await nextMessage<{ url: string; credentials: EngineCredentials }>(thread, 'ready');
  return {
    target: { url, credentials },
    client: createCamundaClient({ url, credentials }),
    engineCpuMs: async () => {
      thread.postMessage({ kind: 'cpu' });
      return (await nextMessage<{ ms: number | undefined }>(thread, 'cpu')).ms;
    },
    close: async () => {
      thread.postMessage({ kind: 'stop' });
      await nextMessage(thread, 'stopped');
      await thread.terminate();
      await db.drop();
    },
  };
}
