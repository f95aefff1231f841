/**
 * spe/feel-variables: every variable a FEEL expression reads (any attribute starting with `=`, headers and
 * documentation aside) has a producer: a form field, a message's variables, the reviewer the REST API sets, a
 * start variable or worker output documented in docs/processes.md, or, in the same diagram, a script or business
 * rule task's result variable, an
 * input/output mapping target or a multi-instance element/output collection. A misspelt variable is otherwise
 * null at run time and the condition silently goes the other way.
 */
const known = require('../lib/known-names');
const { descendants, owningId } = require('../lib/moddle');
const { variablesRead } = require('../lib/feel-variables');

const SKIPPED_TYPES = ['zeebe:Header', 'bpmn:Documentation'];
const SKIPPED_PROPERTIES = ['id', 'name'];

function producedIn(elements) {
  const produced = new Set(known.externalVariables);
  const add = (name) => name && produced.add(String(name).split('.')[0]);
  for (const el of elements) {
    if (el.$type === 'zeebe:Script' || el.$type === 'zeebe:CalledDecision') add(el.resultVariable);
    if (el.$type === 'zeebe:Input' || el.$type === 'zeebe:Output') add(el.target);
    if (el.$type === 'zeebe:LoopCharacteristics') {
      add(el.inputElement);
      add(el.outputCollection);
    }
  }
  return produced;
}

module.exports = function feelVariables() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:Definitions') return;
    const elements = descendants(node);
    const produced = producedIn(elements);
    for (const el of elements) {
      if (SKIPPED_TYPES.includes(el.$type)) continue;
      for (const [property, value] of Object.entries(el)) {
        if (property.startsWith('$') || SKIPPED_PROPERTIES.includes(property) || typeof value !== 'string' || !value.trim().startsWith('=')) continue;
        const expression = value.trim().slice(1);
        let read;
        try {
          read = variablesRead(expression);
        } catch {
          continue; // not parseable: camunda-compat/feel reports it
        }
        for (const name of read.filter((variable) => !produced.has(variable))) {
          reporter.report(owningId(el), `Reads "${name}" in "=${expression}" (${el.$type}.${property}), which nothing produces: fix the name, or document the variable in docs/processes.md ("Start variables" or "Worker outputs") and regenerate known-names.json`);
        }
      }
    }
  }
  return { check };
};
