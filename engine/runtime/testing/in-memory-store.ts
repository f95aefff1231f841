/**
 * A fake EngineStore for unit tests of the interpreter: keeps committed records in a Map. Not durable,
 * not for anything an acceptance test names.
 */
import type { CommitBatch, EngineStore, FieldFilter, LoadedState, SearchQuery, SearchResult } from '../../store/store.js';
import { isActive, recordKey, type EngineRecord, type RecordKind } from '../records.js';

export class InMemoryStore implements EngineStore {
  readonly rows = new Map<string, string>();
  private highWater: number | undefined;
  commits = 0;

  async migrate(): Promise<void> {}

  async loadActive(): Promise<LoadedState> {
    const records = [...this.rows.values()].map((t) => JSON.parse(t) as EngineRecord).filter(isActive);
    return { records, keyHighWater: this.highWater };
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.commits += 1;
    for (const r of batch.records) this.rows.set(recordKey(r), JSON.stringify(r));
    this.highWater = batch.keyHighWater;
  }

  async search<K extends RecordKind>(kind: K, query: SearchQuery): Promise<SearchResult<Extract<EngineRecord, { kind: K }>>> {
    const all = [...this.rows.values()]
      .map((t) => JSON.parse(t) as EngineRecord)
      .filter((r) => r.kind === kind && query.filters.every((f) => matches(r as unknown as Record<string, unknown>, f)));
    all.sort((a, b) => (recordKey(a) < recordKey(b) ? -1 : 1));
    return { items: all.slice(query.offset, query.offset + query.limit) as Array<Extract<EngineRecord, { kind: K }>>, total: all.length };
  }

  async get<K extends RecordKind>(kind: K, key: string): Promise<Extract<EngineRecord, { kind: K }> | undefined> {
    const t = this.rows.get(key);
    const r = t ? (JSON.parse(t) as EngineRecord) : undefined;
    return r && r.kind === kind ? (r as Extract<EngineRecord, { kind: K }>) : undefined;
  }

  async close(): Promise<void> {}
}

function matches(doc: Record<string, unknown>, f: FieldFilter): boolean {
  const v = doc[f.field] ?? ('ifMissing' in f ? f.ifMissing : undefined);
  switch (f.op) {
    case '$eq': return String(v) === String(f.value);
    case '$neq': return String(v) !== String(f.value);
    case '$in': return (f.value as unknown[]).map(String).includes(String(v));
    case '$notIn': return !(f.value as unknown[]).map(String).includes(String(v));
    case '$exists': return (v !== undefined) === Boolean(f.value);
    case '$contains': return Array.isArray(v) && v.includes(f.value);
    default: return true;
  }
}
