/**
 * Reading parsed BPMN (bpmn-moddle with the zeebe extension): extension elements of one type, the process an
 * element belongs to, the id to report a finding on, and every element of a document.
 */

/** The values of `el.extensionElements` of one moddle type, e.g. `zeebe:TaskDefinition`. */
function extensions(el, type) {
  const values = (el && el.extensionElements && el.extensionElements.values) || [];
  return values.filter((value) => value && value.$type === type);
}

/** The first extension element of one type, or undefined. */
function extension(el, type) {
  return extensions(el, type)[0];
}

/** The `bpmn:Process` an element is in, or undefined. */
function processOf(el) {
  for (let at = el; at; at = at.$parent) if (at.$type === 'bpmn:Process') return at;
  return undefined;
}

/** The id of the element itself or of its nearest ancestor that has one (extension elements have none). */
function owningId(el) {
  for (let at = el; at; at = at.$parent) if (typeof at.id === 'string' && at.id) return at.id;
  return undefined;
}

/** Every element reachable from `root`, except diagram interchange, each once. */
function descendants(root) {
  const found = [];
  const seen = new Set();
  const visit = (el) => {
    if (!el || typeof el !== 'object' || typeof el.$type !== 'string' || seen.has(el) || el.$type.startsWith('bpmndi:')) return;
    seen.add(el);
    found.push(el);
    for (const [property, value] of Object.entries(el)) {
      if (property.startsWith('$') || property === 'diagrams') continue;
      // References (messageRef, sourceRef, …) point at elements found through their own containers.
      if (property.endsWith('Ref') || property.endsWith('Refs')) continue;
      for (const child of Array.isArray(value) ? value : [value]) visit(child);
    }
  };
  visit(root);
  return found;
}

/** Whether `value` is one of `list`. */
function oneOf(list, value) {
  return typeof value === 'string' && list.includes(value);
}

module.exports = { extensions, extension, processOf, owningId, descendants, oneOf };
