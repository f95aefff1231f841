/**
 * Timer events: `bpmn:timerEventDefinition` with exactly one of timeDuration, timeDate, timeCycle (ISO 8601 or FEEL).
 */
import { ExpressionError, evaluateTimer, isExpression } from '../../../feel/index.js';
import { defineEventKind } from '../../../model/event-kind.js';
import { bodyOf, child } from '../../../model/moddle-element.js';

export type TimerEventDefinition = { kind: 'timer'; timerType: 'duration' | 'date' | 'cycle'; expression: string };

export const timerDefinition = defineEventKind<TimerEventDefinition>({
  kind: 'timer',
  xmlType: 'bpmn:TimerEventDefinition',
  positions: ['process start', 'event sub-process start', 'intermediate catch', 'boundary'],
  read: ({ id, definition, position, interrupting, ctx }) => {
    const present = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((p) => bodyOf(child(definition, p)));
    if (present.length !== 1) {
      ctx.refuse(id, 'timer event needs exactly one of timeDuration, timeDate or timeCycle');
      return undefined;
    }
    const property = present[0]!;
    const timerType = property === 'timeDuration' ? 'duration' : property === 'timeDate' ? 'date' : 'cycle';
    const expression = bodyOf(child(definition, property))!;
    if (timerType === 'cycle' && position === 'intermediate catch') {
      ctx.refuse(id, 'intermediate timer catch event needs a timeDuration or timeDate, not a timeCycle');
    }
    if (timerType === 'cycle' && interrupting && (position === 'boundary' || position === 'event sub-process start')) {
      ctx.refuse(id, 'interrupting timer event with a timeCycle is not allowed');
    }
    ctx.expression(id, property, expression);
    if (!isExpression(expression)) {
      try {
        evaluateTimer({ timerType, expression }, {}, Date.now());
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        ctx.refuse(id, `invalid ${property} '${expression}': ${error.message}`);
      }
    }
    return { kind: 'timer', timerType, expression };
  },
});
