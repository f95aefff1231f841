/**
 * Error events: `bpmn:errorEventDefinition` with its `bpmn:error` (errorCode). Thrown by end events (code
 * required, may be FEEL); caught by boundary events and event sub-process starts (static code, or none to catch all).
 */
import { isExpression } from '../../../feel/index.js';
import { defineEventKind } from '../../../model/event-kind.js';
import { child, str } from '../../../model/moddle-element.js';

/**
 * Catch side: `errorCode` undefined means catch-all. Throw side (end event): `errorCode` required
 * (may be FEEL). `errorCodeVariable`/`errorMessageVariable` from zeebe:errorEventDefinition (catch side).
 */
export type ErrorEventDefinition = {
  kind: 'error';
  errorCode?: string;
  errorMessage?: string;
  errorCodeVariable?: string;
  errorMessageVariable?: string;
};

export const errorDefinition = defineEventKind<ErrorEventDefinition>({
  kind: 'error',
  xmlType: 'bpmn:ErrorEventDefinition',
  positions: ['event sub-process start', 'end', 'boundary'],
  read: ({ id, definition, position, throwing, interrupting, ctx }) => {
    const errorCode = str(child(definition, 'errorRef'), 'errorCode')?.trim() || undefined;
    if (throwing && errorCode === undefined) ctx.refuse(id, 'error end event needs an error (bpmn:error) with an errorCode');
    if (!throwing && !interrupting) ctx.refuse(id, `error ${position} event must be interrupting`);
    if (!throwing && errorCode !== undefined && isExpression(errorCode)) ctx.refuse(id, 'error catch event needs a static errorCode');
    ctx.expression(id, 'errorCode', errorCode);
    return errorCode === undefined ? { kind: 'error' } : { kind: 'error', errorCode };
  },
});
