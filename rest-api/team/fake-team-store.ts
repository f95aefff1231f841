/**
 * In-memory TeamStore on a FakePermitStore's members, audit entries and engine commands, for unit tests; the same
 * rules as the knex store (a refused change leaves everything as it was).
 */
import { ConflictError, PreconditionFailedError } from '../../shared/index.js';
import type { Member } from '../../db/index.js';
import { commandPendingConflict } from '../permits/engine-command-relay.js';
import type { FakePermitStore } from '../permits/fake-permit-store.js';
import type { MemberChange, TeamStore } from './team-store.js';

export function createFakeTeamStore(permits: FakePermitStore): TeamStore {
  // One change at a time, as the permit row lock makes it in the knex store.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => T | Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const bump = (permitId: string, expectedVersion: number | undefined): void => {
    const permit = permits.permits.get(permitId);
    if (!permit) throw new Error(`no permit ${permitId}`);
    if (expectedVersion !== undefined && permit.version !== expectedVersion) throw new PreconditionFailedError('stale');
    permits.permits.set(permitId, { ...permit, version: permit.version + 1 });
  };

  /** Runs `change` as one transaction: on a throw, members, the permit, audit entries and commands are as before. */
  const atomically = <T>(permitId: string, change: () => T): T => {
    const before = { members: [...permits.memberRows], permit: permits.permits.get(permitId), audits: permits.audits.length, commands: permits.commands.length };
    try {
      return change();
    } catch (error) {
      permits.memberRows = before.members;
      if (before.permit) permits.permits.set(permitId, before.permit);
      permits.audits.length = before.audits;
      permits.commands.length = before.commands;
      throw error;
    }
  };

  const insert = (change: MemberChange): Member[] => {
    change.guard?.(permits.memberRows.filter((r) => r.permitId === change.permitId));
    const added: Member[] = [];
    for (const m of change.members) {
      if (permits.memberRows.some((r) => r.permitId === change.permitId && r.userId === m.userId && r.teamRole === m.teamRole)) continue;
      const row = { permitId: change.permitId, userId: m.userId, teamRole: m.teamRole, addedBy: change.actor, addedAt: new Date().toISOString() };
      permits.memberRows.push(row);
      added.push(row);
    }
    if (added.length > 0) {
      bump(change.permitId, change.expectedVersion);
      permits.audits.push({ actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { members: added } });
    }
    return added;
  };

  return {
    add: (change) => serial(() => atomically(change.permitId, () => insert(change))),

    async addAndSend(change, message, deliver) {
      const { command } = message;
      const added = await serial(() =>
        atomically(change.permitId, () => {
          const permit = permits.permits.get(change.permitId);
          if (!permit) throw new ConflictError(`Permit ${change.permitId} disappeared.`);
          if (permits.audits.some((a) => a.idempotencyKey === command.messageId)) throw new ConflictError(`${message.what} was already requested; this repeat changed nothing.`);
          if (permit.version !== message.checkedVersion) throw change.expectedVersion !== undefined ? new PreconditionFailedError('stale') : new ConflictError('changed since the checks');
          const same = (c: { permitId: string; messageName: string; correlationKey: string }) => c.permitId === command.permitId && c.messageName === command.messageName && c.correlationKey === command.correlationKey;
          if (message.oncePerPermit && permits.commands.some(same)) throw new ConflictError(`Permit ${change.permitId}'s process was already sent "${command.messageName}".`);
          if (permits.commands.some((c) => c.permitId === change.permitId && c.status === 'pending')) throw commandPendingConflict(change.permitId, message.what);
          permits.commands.push({ ...command, status: 'pending' });
          const rows = insert(change);
          permits.audits.push({ ...message.audit, idempotencyKey: command.messageId });
          return rows;
        }),
      );
      try {
        await deliver(command);
      } catch (error) {
        return { added, delivery: { outcome: 'pending', error } };
      }
      const recorded = permits.commands.find((c) => c.messageId === command.messageId);
      if (recorded) recorded.status = 'delivered';
      return { added, delivery: { outcome: 'delivered' } };
    },

    remove: (change) =>
      serial(() => {
        const [m] = change.members;
        const index = permits.memberRows.findIndex((r) => r.permitId === change.permitId && r.userId === m.userId && r.teamRole === m.teamRole);
        if (index < 0) return false;
        bump(change.permitId, change.expectedVersion);
        permits.memberRows.splice(index, 1);
        permits.audits.push({ actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { member: m } });
        return true;
      }),

    async countRole(permitId, teamRole) {
      return permits.memberRows.filter((r) => r.permitId === permitId && r.teamRole === teamRole).length;
    },
  };
}
