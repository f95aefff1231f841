/**
 * In-memory `PermitStore` for unit tests; other features' fake stores share its maps. Same rules as the knex store
 * (`permit-store.contract.integration.test.ts` runs the same cases on both): once-only intents, version guards,
 * drafts only deleted while DRAFT, lists newest first.
 */
import type { PermitStatus, TeamRole } from '../../shared/index.js';
import type { EngineCommand, Member, Permit, StatusHistoryEntry } from '../../db/index.js';
import type { AuditInput, PermitStore } from './permit-store.js';

export interface FakePermitStore extends PermitStore {
  permits: Map<string, Permit>;
  memberRows: Member[];
  historyRows: StatusHistoryEntry[];
  audits: AuditInput[];
  /** Idempotency keys bound to the permit they created (`caller\0key` → permit id). */
  idempotencyKeys: Map<string, string>;
  /** Engine commands recorded by `runOnce`, with whether they were delivered. */
  commands: (EngineCommand & { status: 'pending' | 'delivered'; leasedUntil?: number })[];
  /** Events written to the outbox (by `editDraft`). */
  events: { name: string; permitId: string; payload: Record<string, unknown> }[];
  /** Puts a permit (defaults filled in) and its members in place. */
  seed(permit: Partial<Permit> & { id: string }, members?: { userId: string; teamRole: TeamRole }[]): Permit;
  setStatus(permitId: string, status: PermitStatus): void;
}

const EPOCH = '2026-01-01T00:00:00.000Z';

export function createFakePermitStore(): FakePermitStore {
  // One intent at a time, as the permit row lock makes it in the real store.
  let intents: Promise<unknown> = Promise.resolve();
  const store: FakePermitStore = {
    permits: new Map(),
    memberRows: [],
    historyRows: [],
    audits: [],
    idempotencyKeys: new Map(),
    commands: [],
    events: [],

    seed(permit, members = []) {
      const full: Permit = {
        title: 'A permit',
        purpose: 'Research on something important',
        status: 'DRAFT',
        validFrom: null,
        validUntil: '2027-01-01T00:00:00.000Z',
        deletionGracePeriod: null,
        processInstanceKey: '1',
        createdBy: 'alice',
        createdAt: EPOCH,
        updatedAt: EPOCH,
        version: 1,
        ...permit,
      };
      store.permits.set(full.id, full);
      for (const m of members) store.memberRows.push({ permitId: full.id, userId: m.userId, teamRole: m.teamRole, addedBy: 'seed', addedAt: EPOCH });
      return full;
    },

    setStatus(permitId, status) {
      const permit = store.permits.get(permitId);
      if (permit) store.permits.set(permitId, { ...permit, status, version: permit.version + 1 });
    },

    async findById(id) {
      return store.permits.get(id);
    },
    async findWithTeamRoles(id, userId) {
      const permit = store.permits.get(id);
      return permit ? { permit, teamRoles: await store.teamRolesOf(id, userId) } : undefined;
    },
    async findByIds(ids) {
      return ids.map((id) => store.permits.get(id)).filter((p): p is Permit => p !== undefined);
    },
    async teamRolesOf(permitId, userId) {
      return store.memberRows.filter((m) => m.permitId === permitId && m.userId === userId).map((m) => m.teamRole);
    },
    async permitIdsOf(userId, teamRole) {
      return store.memberRows.filter((m) => m.userId === userId && m.teamRole === teamRole).map((m) => m.permitId);
    },
    async createDraft(permit, members, idempotency, start) {
      const bound = idempotency ? store.idempotencyKeys.get(`${idempotency.caller}\u0000${idempotency.key}`) : undefined;
      if (bound && store.permits.has(bound)) return store.permits.get(bound)!;
      if (idempotency) store.idempotencyKeys.set(`${idempotency.caller}\u0000${idempotency.key}`, permit.id);
      const created = store.seed({ ...permit, status: 'DRAFT', processInstanceKey: null });
      for (const m of members) {
        if (!store.memberRows.some((r) => r.permitId === permit.id && r.userId === m.userId && r.teamRole === m.teamRole)) {
          store.memberRows.push({ permitId: permit.id, userId: m.userId, teamRole: m.teamRole, addedBy: permit.createdBy, addedAt: EPOCH });
        }
      }
      if (start) store.commands.push({ ...start, kind: 'process-start', status: 'pending' });
      return created;
    },
    async pendingStartOf(permitId) {
      const found = store.commands.find((c) => c.permitId === permitId && c.kind === 'process-start' && c.status === 'pending');
      if (!found) return undefined;
      const { status: _status, leasedUntil: _lease, ...command } = found;
      return command;
    },
    async leaseStart(messageId, ms) {
      const command = store.commands.find((c) => c.messageId === messageId && c.status === 'pending');
      if (!command || (command.leasedUntil ?? 0) > Date.now()) return false;
      command.leasedUntil = Date.now() + ms;
      return true;
    },
    async attachProcess(permitId, processInstanceKey, audit, commandId) {
      const permit = store.permits.get(permitId);
      if (!permit) throw new Error(`no permit ${permitId}`);
      const command = store.commands.find((c) => c.messageId === commandId);
      if (command) command.status = 'delivered';
      if (permit.processInstanceKey) return permit;
      const updated = { ...permit, processInstanceKey };
      store.permits.set(permitId, updated);
      store.audits.push(audit);
      return updated;
    },
    async editDraft({ permitId, changes, version, audit }) {
      const permit = store.permits.get(permitId);
      if (!permit || permit.status !== 'DRAFT' || permit.version !== version) return undefined;
      const updated: Permit = { ...permit, ...changes, version: permit.version + 1, updatedAt: new Date().toISOString() };
      store.permits.set(permitId, updated);
      store.audits.push(audit);
      store.events.push({ name: 'permit.draft.edited', permitId, payload: { changed: Object.keys(changes), version: updated.version, editedBy: audit.actor } });
      return updated;
    },
    async deleteDraft(permitId) {
      if (store.permits.get(permitId)?.status !== 'DRAFT') return;
      store.permits.delete(permitId);
      store.memberRows = store.memberRows.filter((m) => m.permitId !== permitId);
      store.commands = store.commands.filter((c) => !(c.permitId === permitId && c.kind === 'process-start' && c.status === 'pending'));
    },
    async list({ memberId, status, q, limit, offset }) {
      const all = [...store.permits.values()].filter(
        (p) =>
          (memberId === undefined || store.memberRows.some((m) => m.permitId === p.id && m.userId === memberId)) &&
          (status === undefined || p.status === status) &&
          (!q || `${p.title} ${p.purpose}`.toLowerCase().includes(q.toLowerCase())),
      );
      // Newest first, as the knex store orders them (created_at desc, id desc).
      all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return { items: all.slice(offset, offset + limit), total: all.length };
    },
    async history(permitId) {
      return store.historyRows.filter((h) => h.permitId === permitId);
    },
    async members(permitId) {
      return store.memberRows.filter((m) => m.permitId === permitId);
    },
    async runOnce({ permitId, intentKey, audit, command: intent }, deliver) {
      const run = intents.then(() => {
        const permit = store.permits.get(permitId);
        if (!permit) return 'missing' as const;
        const key = intentKey(permit.version);
        if (store.audits.some((entry) => entry.idempotencyKey === key)) return 'duplicate' as const;
        if (store.commands.some((c) => c.permitId === permitId && c.status === 'pending')) return 'busy' as const;
        store.audits.push({ ...audit, idempotencyKey: key });
        const command = { messageId: key, permitId, ...intent, status: 'pending' as const };
        store.commands.push(command);
        return command;
      });
      intents = run.catch(() => undefined);
      const recorded = await run;
      if (typeof recorded === 'string') return { outcome: recorded };
      const { status: _status, ...command } = recorded;
      try {
        await deliver(command);
      } catch (error) {
        return { outcome: 'pending', command, error };
      }
      const index = store.commands.indexOf(recorded);
      store.commands[index] = { ...recorded, status: 'delivered' };
      return { outcome: 'delivered', command };
    },
    async audit(entry) {
      store.audits.push(entry);
    },
  };
  return store;
}
