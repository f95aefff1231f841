export { ExpressionError } from './expression-error.js';
export { isExpression, checkExpression, evaluateExpression } from './evaluate-expression.js';
export {
  evaluateCondition,
  evaluateString,
  evaluateNumber,
  evaluateList,
  evaluateStringList,
  evaluateOptionalDateTime,
} from './typed-evaluators.js';
export { evaluateTimer, nextTimer, type TimerDefinition, type TimerSchedule } from './timer.js';
export { setPath } from './set-path.js';
export { setFeelClock } from './feel-runner.js';
