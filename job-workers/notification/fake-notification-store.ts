/**
 * In-memory `NotificationStore` for tests, with the same rules as the database one: members joined with the
 * directory (missing directory rows still count), preferences default to enabled, and the delivery ledger's
 * claim → sent | failed states with a lease. Tests fill `permits`, `members`, `directory`, `preferenceRows` and
 * read `deliveries`.
 */
import type { TeamRole } from '../../shared/index.js';
import type {
  ChannelPreference,
  ClaimOutcome,
  DeliveryKey,
  NotificationStore,
  PermitSummary,
  Recipient,
  TeamRecipient,
} from './notification-store.js';

export interface FakeDelivery extends DeliveryKey {
  permitId: string;
  template: string;
  status: 'claimed' | 'sent' | 'failed';
  claimedAt: number;
  attempts: number;
  lastError?: string;
  providerMessageId?: string;
}

export interface FakeNotificationStore extends NotificationStore {
  permits: Map<string, PermitSummary>;
  members: { permitId: string; userId: string; teamRole: TeamRole }[];
  directory: Map<string, Recipient>;
  preferenceRows: ChannelPreference[];
  deliveries: FakeDelivery[];
  addPermit(permit: PermitSummary): void;
  addUser(user: Recipient): void;
  addMember(permitId: string, userId: string, teamRole: TeamRole): void;
}

export function createFakeNotificationStore(options: { now?: () => number } = {}): FakeNotificationStore {
  const now = options.now ?? (() => Date.now());
  const lookup = (userId: string): Recipient => store.directory.get(userId) ?? { userId, displayName: userId };
  const find = (key: DeliveryKey) =>
    store.deliveries.find((d) => d.idempotencyKey === key.idempotencyKey && d.channel === key.channel && d.recipient === key.recipient);

  const store: FakeNotificationStore = {
    permits: new Map(),
    members: [],
    directory: new Map(),
    preferenceRows: [],
    deliveries: [],

    addPermit(permit) {
      store.permits.set(permit.id, permit);
    },
    addUser(user) {
      store.directory.set(user.userId, user);
    },
    addMember(permitId, userId, teamRole) {
      store.members.push({ permitId, userId, teamRole });
    },

    async permit(permitId) {
      return store.permits.get(permitId);
    },

    async teamMembers(permitId, teamRoles): Promise<TeamRecipient[]> {
      return store.members
        .filter((m) => m.permitId === permitId && teamRoles.includes(m.teamRole))
        .sort((a, b) => a.userId.localeCompare(b.userId))
        .map((m) => ({ ...lookup(m.userId), teamRole: m.teamRole }));
    },

    async users(userIds) {
      return userIds.map(lookup);
    },

    async preferences(userIds) {
      return store.preferenceRows.filter((p) => userIds.includes(p.userId));
    },

    async claimDelivery(claim): Promise<ClaimOutcome> {
      const existing = find(claim);
      if (!existing) {
        store.deliveries.push({ ...pickKey(claim), permitId: claim.permitId, template: claim.template, status: 'claimed', claimedAt: now(), attempts: 1 });
        return 'claimed';
      }
      if (existing.status === 'sent') return 'sent';
      if (existing.status === 'claimed' && now() - existing.claimedAt < claim.leaseMs) return 'busy';
      existing.status = 'claimed';
      existing.claimedAt = now();
      existing.attempts += 1;
      return 'claimed';
    },

    async markSent(key, details = {}) {
      const row = find(key);
      if (!row) throw new Error(`no delivery claimed for ${JSON.stringify(pickKey(key))}`);
      row.status = 'sent';
      if (details.providerMessageId) row.providerMessageId = details.providerMessageId;
    },

    async renewClaim(key) {
      const row = find(key);
      if (!row || row.status !== 'claimed') return false;
      row.claimedAt = now();
      return true;
    },

    async release(key, error) {
      const row = find(key);
      if (!row || row.status === 'sent') return undefined;
      row.status = 'failed';
      row.lastError = error;
      return row.attempts;
    },
  };
  return store;
}

function pickKey(key: DeliveryKey): DeliveryKey {
  return { idempotencyKey: key.idempotencyKey, channel: key.channel, recipient: key.recipient };
}
