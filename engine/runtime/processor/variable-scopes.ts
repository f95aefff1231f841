/**
 * Zeebe's variable scopes: every element instance is a scope whose parent is its flow scope; the process
 * instance is the root. Reads see the nearest definition; "merge" (propagation) sets each variable on the
 * nearest scope that already has it, else on the root; "local" sets it on the given scope only.
 */
import type { RuntimeState } from '../runtime-state.js';
import type { KeyGenerator } from '../key-generator.js';
import type { VariableRecord } from '../records.js';

export type Variables = Record<string, unknown>;

export class VariableScopes {
  constructor(
    private readonly state: RuntimeState,
    private readonly keys: KeyGenerator,
  ) {}

  /** Scope keys from `scopeKey` up to the root, nearest first. */
  chain(scopeKey: string): string[] {
    const out: string[] = [];
    let key: string | undefined = scopeKey;
    while (key !== undefined) {
      out.push(key);
      key = this.state.elements.get(key)?.flowScopeKey;
    }
    return out;
  }

  /** Every variable visible from the scope (nearest wins), parsed. Optionally only `names`. */
  visible(scopeKey: string, names?: readonly string[]): Variables {
    const chain = this.chain(scopeKey);
    const result: Variables = {};
    for (let i = chain.length - 1; i >= 0; i--) {
      const scope = this.state.variables.get(chain[i]!);
      if (!scope) continue;
      if (names) {
        for (const n of names) {
          const v = scope.get(n);
          if (v) result[n] = JSON.parse(v.value);
        }
      } else {
        for (const v of scope.values()) result[v.name] = JSON.parse(v.value);
      }
    }
    return result;
  }

  /** The variables defined directly on a scope, parsed. */
  local(scopeKey: string): Variables {
    const result: Variables = {};
    const scope = this.state.variables.get(scopeKey);
    if (scope) for (const v of scope.values()) result[v.name] = JSON.parse(v.value);
    return result;
  }

  setLocal(scopeKey: string, processInstanceKey: string, tenantId: string, variables: Variables): void {
    for (const [name, value] of Object.entries(variables)) this.setOne(scopeKey, processInstanceKey, tenantId, name, value);
  }

  /** Zeebe's propagation: each variable lands on the nearest scope (from `scopeKey` up) that has it, else the root. */
  merge(scopeKey: string, processInstanceKey: string, tenantId: string, variables: Variables): void {
    const chain = this.chain(scopeKey);
    const root = chain[chain.length - 1]!;
    for (const [name, value] of Object.entries(variables)) {
      const target = chain.find((k) => this.state.variables.get(k)?.has(name)) ?? root;
      this.setOne(target, processInstanceKey, tenantId, name, value);
    }
  }

  /** Marks a finished scope's variables inactive (they stay searchable in the store). */
  dropScope(scopeKey: string): void {
    for (const v of this.state.dropScopeVariables(scopeKey)) {
      v.active = false;
      this.state.touch(v);
    }
  }

  private setOne(scopeKey: string, processInstanceKey: string, tenantId: string, name: string, value: unknown): void {
    const text = JSON.stringify(value === undefined ? null : value);
    const existing = this.state.variables.get(scopeKey)?.get(name);
    if (existing) {
      if (existing.value === text) return;
      existing.value = text;
      this.state.touch(existing);
      return;
    }
    const record: VariableRecord = {
      kind: 'variable',
      variableKey: this.keys.next(),
      name,
      value: text,
      scopeKey,
      processInstanceKey,
      tenantId,
      active: true,
    };
    this.state.setVariable(record);
    this.state.touch(record);
  }
}
