/**
 * Tokens waiting at joining gateways (parallel and inclusive gateways with several incoming flows), kept per
 * flow scope in its runtime (`joins`: gateway id → flow id → count). Waiting tokens keep the scope from
 * completing, as in Zeebe.
 */
import type { CompiledElement } from '../../../../model/types.js';
import type { ElementInstanceRecord } from '../../../records.js';
import type { Processor } from '../construct.js';

type Ctx = Pick<Processor, 'ctx'>;

/** A token arrives at a joining gateway over `flowId`; returns the gateway's tokens per incoming flow. */
export function addJoinToken(gateway: CompiledElement, flowId: string, scope: ElementInstanceRecord, c: Ctx): Record<string, number> {
  const rt = c.ctx.runtime(scope);
  rt.joins ??= {};
  const tokens = (rt.joins[gateway.id] ??= {});
  tokens[flowId] = (tokens[flowId] ?? 0) + 1;
  c.ctx.state.touch(scope);
  return tokens;
}

/** The gateway fires: one token of each incoming flow that has one is consumed. */
export function consumeJoin(gateway: CompiledElement, scope: ElementInstanceRecord, c: Ctx): void {
  const tokens = c.ctx.runtime(scope).joins![gateway.id]!;
  for (const f of gateway.incoming) if ((tokens[f] ?? 0) > 0) tokens[f] = tokens[f]! - 1;
  if (Object.values(tokens).every((n) => n <= 0)) delete c.ctx.runtime(scope).joins![gateway.id];
  c.ctx.state.touch(scope);
}

/** Pending tokens at joins of a scope. */
export function waitingTokens(scope: ElementInstanceRecord, c: Ctx): number {
  let n = 0;
  for (const t of Object.values(c.ctx.runtime(scope).joins ?? {})) for (const count of Object.values(t)) n += count;
  return n;
}
