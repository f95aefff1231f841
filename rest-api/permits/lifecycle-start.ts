/**
 * Starting a permit's lifecycle process exactly once (docs/adr/0006-engine-commands.md, "Starting the lifecycle
 * process"). The DRAFT and its start command (`engine_commands`, kind `process-start`) are written in one
 * transaction; then the request, or the engine-command relay when the request could not, runs `startLifecycle`:
 *
 * 1. take the lease on the command (nobody else starts it meanwhile; a holder that died lets go after the lease);
 * 2. look up the ACTIVE lifecycle instances tagged `permit:<id>` (the tag is set with the instance, so an instance
 *    started by a request that died before it recorded the key is found here);
 * 3. none: start one with that tag; otherwise take the oldest;
 * 4. one transaction: link it to the permit unless the permit already has one, the audit entry `permit.created`,
 *    the command delivered;
 * 5. cancel every other tagged instance (a starter whose lease ran out while it waited on the engine): only the
 *    linked instance goes on waiting for the permit's messages.
 */
import type { Logger } from 'pino';
import { PROCESS_IDS, PROCESS_VARIABLES } from '../../shared/index.js';
import type { EngineCommand, Permit } from '../../db/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { NewMember, PermitStore } from './permit-store.js';

/** How long a starter holds a start command: well above a look-up, a start and a write. */
export const PROCESS_START_LEASE_MS = 30_000;

/** The tag every lifecycle instance carries (Camunda 8.8 tags: a letter first, then letters, digits, `_-:.`). */
export function permitTag(permitId: string): string {
  return `permit:${permitId}`;
}

/** The start command written with the DRAFT: the lifecycle process and its variables. */
export function lifecycleStartCommand(
  permit: Pick<Permit, 'id' | 'title' | 'purpose' | 'validUntil' | 'deletionGracePeriod'>,
  applicantName: string,
): EngineCommand {
  return {
    messageId: `api:permit.start:${permit.id}`,
    kind: 'process-start',
    permitId: permit.id,
    messageName: PROCESS_IDS.lifecycle,
    correlationKey: permit.id,
    variables: {
      permitId: permit.id,
      validUntil: permit.validUntil,
      deletionGracePeriod: permit.deletionGracePeriod,
      // Context the reviewers' forms show (call activities pass them on to every phase).
      [PROCESS_VARIABLES.permitTitle]: permit.title,
      [PROCESS_VARIABLES.applicantName]: applicantName,
      [PROCESS_VARIABLES.permitPurpose]: permit.purpose,
    },
  };
}

export interface LifecycleStartDeps {
  store: Pick<PermitStore, 'findById' | 'members' | 'leaseStart' | 'attachProcess'>;
  engine: Pick<EnginePort, 'createProcessInstance' | 'findActiveProcessInstances' | 'cancelProcessInstance'>;
  logger?: Logger;
  leaseMs?: number;
}

/**
 * Runs a pending start command (above). Answers the permit as it now is, or undefined when another starter holds
 * the command (or it is done). Throws when the engine cannot be reached: the command stays pending, its lease runs
 * out and the relay takes it over.
 */
export async function startLifecycle(deps: LifecycleStartDeps, command: EngineCommand, members?: readonly NewMember[]): Promise<Permit | undefined> {
  const { store, engine } = deps;
  if (!(await store.leaseStart(command.messageId, deps.leaseMs ?? PROCESS_START_LEASE_MS))) return undefined;
  const permit = await store.findById(command.permitId);
  if (!permit) return undefined;
  const tag = permitTag(command.permitId);
  const processId = PROCESS_IDS.lifecycle;
  const found = permit.processInstanceKey ? [permit.processInstanceKey] : await engine.findActiveProcessInstances(processId, tag);
  const key = found[0] ?? (await engine.createProcessInstance(processId, command.variables, { tags: [tag] })).processInstanceKey;
  const team = members ?? (await store.members(command.permitId)).map(({ userId, teamRole }) => ({ userId, teamRole }));
  const attached = await store.attachProcess(
    command.permitId,
    key,
    {
      actor: permit.createdBy,
      action: 'permit.created',
      permitId: permit.id,
      details: { title: permit.title, validFrom: permit.validFrom, validUntil: permit.validUntil, members: team, processInstanceKey: key, ...(found[0] ? { found: true } : {}) },
    },
    command.messageId,
  );
  const extra = new Set([...found, key].filter((other) => other !== attached.processInstanceKey));
  for (const other of extra) {
    try {
      await engine.cancelProcessInstance(other);
      deps.logger?.warn({ permitId: permit.id, processInstanceKey: other, kept: attached.processInstanceKey }, 'cancelled a second lifecycle instance of the permit');
    } catch (error) {
      deps.logger?.error({ err: error, permitId: permit.id, processInstanceKey: other }, 'a second lifecycle instance of the permit could not be cancelled: cancel it in Operate');
    }
  }
  return attached;
}

/** `startLifecycle` for the engine-command relay (its `startProcess`): true when it ran, false when another starter holds it. */
export function lifecycleStarter(deps: LifecycleStartDeps): (command: EngineCommand) => Promise<boolean> {
  return async (command) => (await startLifecycle(deps, command)) !== undefined;
}
