/**
 * The development OpenID Provider's store: sessions, interactions, grants, codes and refresh tokens in memory,
 * one store per provider (oidc-provider 8's own memory adapter is one store per process and warns at start).
 * Entries expire after the lifetime oidc-provider gives them; a grant's revocation removes every token issued
 * under it. A restart forgets everything (development only).
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Milliseconds since the epoch; undefined = no expiry. */
  expiresAt: number | undefined;
}

/** Models whose entries belong to a grant (removed together when the grant is revoked). */
const GRANT_BOUND = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export interface MemoryStore {
  /** oidc-provider's `adapter` option. */
  readonly adapter: AdapterFactory;
  /** Live entries (for tests). */
  size(): number;
}

export function createMemoryStore(now: () => number = Date.now): MemoryStore {
  const entries = new Map<string, Entry>();
  /** uid → session key, user code → key, grant id → keys of its tokens. */
  const sessionByUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  const sweep = (): void => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt !== undefined && entry.expiresAt <= at) entries.delete(key);
    for (const [uid, key] of sessionByUid) if (!entries.has(key)) sessionByUid.delete(uid);
    for (const [code, key] of byUserCode) if (!entries.has(key)) byUserCode.delete(code);
    for (const [grantId, keys] of byGrant) {
      for (const key of keys) if (!entries.has(key)) keys.delete(key);
      if (keys.size === 0) byGrant.delete(grantId);
    }
  };
  let writes = 0;

  const adapter: AdapterFactory = (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        if (++writes % 500 === 0) sweep();
        const key = keyOf(id);
        entries.set(key, { payload, expiresAt: expiresIn > 0 ? now() + expiresIn * 1000 : undefined });
        if (model === 'Session' && payload.uid) sessionByUid.set(payload.uid, key);
        if (payload.userCode) byUserCode.set(payload.userCode, key);
        if (GRANT_BOUND.has(model) && payload.grantId) {
          const keys = byGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          byGrant.set(payload.grantId, keys);
        }
      },
      find: async (id) => live(keyOf(id)),
      findByUid: async (uid) => {
        const key = sessionByUid.get(uid);
        return key ? live(key) : undefined;
      },
      findByUserCode: async (userCode) => {
        const key = byUserCode.get(userCode);
        return key ? live(key) : undefined;
      },
      consume: async (id) => {
        const payload = live(keyOf(id));
        if (payload) payload.consumed = Math.floor(now() / 1000);
      },
      destroy: async (id) => {
        entries.delete(keyOf(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
        byGrant.delete(grantId);
      },
    };
  };

  return {
    adapter,
    size: () => {
      sweep();
      return entries.size;
    },
  };
}
