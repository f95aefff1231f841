/** Small DMN builders for this module's unit tests. */

export const DMN13_NS = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/** A DMN 1.3 definitions document `drg` holding `body` (decisions and other DRG elements). */
export function dmn(body: string, namespace = DMN13_NS): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${namespace}" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="drg" name="Test DRG" namespace="http://camunda.org/schema/1.0/dmn">${body}
</definitions>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface TableSpec {
  hitPolicy?: string;
  aggregation?: string;
  /** Input expressions, one per column (`i1`, `i2`, …). */
  inputs: string[];
  /** Output names (`o1`, `o2`, …); `outputValues` text per output when given. */
  outputs: (string | { name?: string; label?: string; values?: string; default?: string })[];
  /** Each rule: input entries then output entries (`r1`, `r2`, …). */
  rules: [string[], string[]][];
  requires?: string[];
}

/** A decision `id` whose logic is a decision table. */
export function table(id: string, spec: TableSpec): string {
  const attrs = `${spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : ''}${spec.aggregation ? ` aggregation="${spec.aggregation}"` : ''}`;
  const inputs = spec.inputs
    .map((expr, i) => `<input id="${id}_i${i + 1}" label="in${i + 1}"><inputExpression id="${id}_ie${i + 1}"><text>${escapeXml(expr)}</text></inputExpression></input>`)
    .join('');
  const outputs = spec.outputs
    .map((output, i) => {
      const o = typeof output === 'string' ? { name: output } : output;
      const values = o.values === undefined ? '' : `<outputValues><text>${escapeXml(o.values)}</text></outputValues>`;
      const fallback = o.default === undefined ? '' : `<defaultOutputEntry><text>${escapeXml(o.default)}</text></defaultOutputEntry>`;
      return `<output id="${id}_o${i + 1}"${o.name ? ` name="${o.name}"` : ''}${o.label ? ` label="${o.label}"` : ''}>${values}${fallback}</output>`;
    })
    .join('');
  const rules = spec.rules
    .map(([ins, outs], r) => {
      const entries = ins.map((text, i) => `<inputEntry id="${id}_r${r + 1}_in${i + 1}"><text>${escapeXml(text)}</text></inputEntry>`).join('');
      const results = outs.map((text, i) => `<outputEntry id="${id}_r${r + 1}_out${i + 1}"><text>${escapeXml(text)}</text></outputEntry>`).join('');
      return `<rule id="${id}_r${r + 1}">${entries}${results}</rule>`;
    })
    .join('');
  return `<decision id="${id}" name="${id} name">${requirements(id, spec.requires)}<decisionTable id="${id}_table"${attrs}>${inputs}${outputs}${rules}</decisionTable></decision>`;
}

/** A decision `id` whose logic is a literal expression, with an optional result variable. */
export function literal(id: string, expression: string, options: { variable?: string; typeRef?: string; requires?: string[] } = {}): string {
  const variable = options.variable === undefined
    ? ''
    : `<variable id="${id}_var" name="${options.variable}"${options.typeRef ? ` typeRef="${options.typeRef}"` : ''}/>`;
  return `<decision id="${id}" name="${id} name">${variable}${requirements(id, options.requires)}<literalExpression id="${id}_expr"><text>${escapeXml(expression)}</text></literalExpression></decision>`;
}

function requirements(owner: string, ids: string[] | undefined): string {
  return (ids ?? []).map((required) => `<informationRequirement id="req_${owner}_${required}"><requiredDecision href="#${required}"/></informationRequirement>`).join('');
}

/** A business knowledge model `id` named `name`: a literal expression over `params`, requiring other BKMs. */
export function bkm(id: string, name: string, params: string[], body: string, requires: string[] = []): string {
  const needs = requires.map((r) => `<knowledgeRequirement id="kr_${id}_${r}"><requiredKnowledge href="#${r}"/></knowledgeRequirement>`).join('');
  const parameters = params.map((p) => `<formalParameter id="${id}_${p}" name="${p}"/>`).join('');
  return `<businessKnowledgeModel id="${id}" name="${name}">${needs}<encapsulatedLogic id="${id}_fn">${parameters}<literalExpression id="${id}_body"><text>${escapeXml(body)}</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>`;
}

/** Adds `knowledgeRequirement`s to the first decision element of `decision`. */
export function requiringKnowledge(decision: string, bkmIds: string[]): string {
  const needs = bkmIds.map((r) => `<knowledgeRequirement id="kr_${r}"><requiredKnowledge href="#${r}"/></knowledgeRequirement>`).join('');
  return decision.replace(/(<decision [^>]*>(?:<variable [^>]*\/>)?)/, `$1${needs}`);
}
