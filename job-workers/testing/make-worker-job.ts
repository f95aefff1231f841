/** Test helpers: a job as handlers see it, an activated job as the client hands it over, and a logger that records. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { ActivatedJob, WorkerJob } from '../runtime/worker-job.js';

let nextKey = 2251799813685248;

export function makeWorkerJob(overrides: Partial<WorkerJob> & Pick<WorkerJob, 'type'>): WorkerJob {
  nextKey += 10;
  return {
    jobKey: String(nextKey),
    processInstanceKey: String(nextKey - 9),
    elementInstanceKey: String(nextKey - 5),
    elementId: 'Task_Under_Test',
    bpmnProcessId: 'spe-permit-application',
    retries: 3,
    headers: {},
    variables: {},
    ...overrides,
  };
}

export interface RecordedAck {
  kind: 'complete' | 'fail' | 'error' | 'ignore';
  body?: unknown;
}

/** An activated job whose acknowledgements are recorded in `acks` (and fail when `failAcks` is set). */
export function makeActivatedJob(job: WorkerJob, options: { failAcks?: boolean } = {}): ActivatedJob<string> & { acks: RecordedAck[] } {
  const acks: RecordedAck[] = [];
  const ack = (kind: RecordedAck['kind'], body?: unknown) => {
    acks.push({ kind, body });
    if (options.failAcks && kind !== 'ignore') return Promise.reject(new Error('engine unreachable'));
    return Promise.resolve('JOB_ACTION_RECEIPT');
  };
  return {
    type: job.type,
    jobKey: job.jobKey,
    processInstanceKey: job.processInstanceKey,
    elementInstanceKey: job.elementInstanceKey,
    elementId: job.elementId,
    processDefinitionId: job.bpmnProcessId,
    retries: job.retries,
    customHeaders: { ...job.headers },
    variables: { ...job.variables },
    acks,
    complete: (variables) => ack('complete', variables),
    fail: (body) => ack('fail', body),
    error: (body) => ack('error', body),
    ignore: () => ack('ignore'),
  };
}

/** A pino logger writing JSON lines into `lines` (parsed). */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export const silentLogger: Logger = pino({ level: 'silent' });
