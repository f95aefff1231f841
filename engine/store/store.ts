/**
 * The engine's durable store. One table of records (JSONB documents keyed by their engine key) plus a
 * small metadata table. The runtime keeps active state in memory and hands the store one batch per
 * group commit; searches are answered from the store.
 */
import type { EngineRecord, RecordKind } from '../runtime/records.js';

export type FilterOp = '$eq' | '$neq' | '$in' | '$notIn' | '$exists' | '$gt' | '$gte' | '$lt' | '$lte' | '$like';

/** A condition on one top-level field of the record document. */
export type FieldFilter =
  /** `ifMissing`: the value of a record without the field (a constant of letters and '_'). */
  | { field: string; op: FilterOp; value: unknown; ifMissing?: string }
  /** The field is a JSON array of strings that contains `value`. */
  | { field: string; op: '$contains'; value: string };

export interface SearchQuery {
  filters: FieldFilter[];
  sort: Array<{ field: string; order: 'ASC' | 'DESC' }>;
  offset: number;
  limit: number;
}

export interface SearchResult<T> {
  items: T[];
  total: number;
}

export interface CommitBatch {
  /** Records created or changed in this batch, in their latest form. */
  records: EngineRecord[];
  /** Highest key handed out so far (persisted so keys never repeat after a restart). */
  keyHighWater: number;
}

export interface LoadedState {
  /** Every record for which `isActive()` held when it was last written, plus definitions and forms. */
  records: EngineRecord[];
  keyHighWater: number | undefined;
}

export interface EngineStore {
  /** Create or upgrade the schema (idempotent). */
  migrate(): Promise<void>;
  /** Read the runtime state back after a restart. */
  loadActive(): Promise<LoadedState>;
  /** Write one batch in one transaction; resolves only once it is durable. */
  commit(batch: CommitBatch): Promise<void>;
  search<K extends RecordKind>(kind: K, query: SearchQuery): Promise<SearchResult<Extract<EngineRecord, { kind: K }>>>;
  get<K extends RecordKind>(kind: K, key: string): Promise<Extract<EngineRecord, { kind: K }> | undefined>;
  close(): Promise<void>;
}
