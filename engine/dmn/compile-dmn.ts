import { CompileContext } from '../model/compile-context.js';
import { child, children, idOf, str, type El } from '../model/moddle-element.js';
import { checkExpression, checkLanguage, compileDecisionTable, textOf } from './compile-decision-table.js';
import { KnowledgeCompiler } from './compile-knowledge.js';
import type { AnyDecisionLogic, LiteralExpressionLogic } from './decision-logic.js';
import { parseDmn } from './parse-dmn.js';
import type { CompileDmnResult, CompiledDecision, CompiledDecisionRequirements } from './types.js';

/** Decision logic kinds DMN allows that this engine does not run, with the name a process owner knows them by. */
const UNSUPPORTED_LOGIC: Record<string, string> = {
  'dmn:Context': 'a boxed context',
  'dmn:Relation': 'a relation',
  'dmn:List': 'a boxed list',
  'dmn:Invocation': 'a boxed invocation (call the business knowledge model from a literal expression instead)',
  'dmn:FunctionDefinition': 'a function definition',
};

/**
 * Compiles a DMN resource (DMN 1.3, and 1.1/1.2 as Camunda Modeler writes them) into its decision requirements graph,
 * refusing, one line per problem, what Camunda 8.8 refuses at deployment and what this engine does not run.
 */
export async function compileDmn(resourceName: string, xml: string): Promise<CompileDmnResult> {
  const ctx = new CompileContext(resourceName);
  let definitions: El;
  try {
    const parsed = await parseDmn(xml);
    definitions = parsed.definitions;
    for (const warning of parsed.warnings) ctx.refuse(warning.elementId, warning.message);
  } catch (error) {
    ctx.refuse('', `the resource is not readable DMN XML (DMN 1.1, 1.2 or 1.3): ${(error as Error).message.replace(/\n\s*/g, '; ')}`);
    return { errors: ctx.errors };
  }
  if (definitions?.$type !== 'dmn:Definitions') {
    ctx.refuse('', 'the resource is not a DMN document (no dmn:definitions root)');
    return { errors: ctx.errors };
  }
  const id = idOf(definitions);
  if (id === '') ctx.refuse('', 'the definitions element has no id (it is the decision requirements id)');
  const elements = children(definitions, 'drgElement');
  const decisionElements = elements.filter((el) => el.$type === 'dmn:Decision');
  if (decisionElements.length === 0) ctx.refuse(id, 'the resource contains no decision');

  const decisions: CompiledDecision[] = [];
  const seen = new Set<string>();
  const bkms = new KnowledgeCompiler(elements, ctx);
  for (const el of decisionElements) {
    const decision = compileDecision(el, bkms, ctx);
    if (!decision) continue;
    if (seen.has(decision.id)) {
      ctx.refuse(decision.id, `duplicated id '${decision.id}'`);
      continue;
    }
    seen.add(decision.id);
    decisions.push(decision);
  }
  for (const decision of decisions) {
    for (const required of decision.requiredDecisionIds) {
      if (!seen.has(required)) ctx.refuse(decision.id, `required decision '${required}' does not exist in this resource`);
    }
  }
  refuseCycles(decisions, ctx);
  if (ctx.errors.length > 0) return { errors: ctx.errors };
  const drg: CompiledDecisionRequirements = {
    id,
    name: str(definitions, 'name') || id,
    namespace: str(definitions, 'namespace') ?? '',
    decisions,
  };
  return { drg, errors: [] };
}

function compileDecision(el: El, bkms: KnowledgeCompiler, ctx: CompileContext): CompiledDecision | undefined {
  const id = idOf(el);
  const name = str(el, 'name');
  if (id === '') {
    ctx.refuse('', `decision${name ? ` '${name}'` : ''} has no id`);
    return undefined;
  }
  const requiredDecisionIds: string[] = [];
  for (const requirement of children(el, 'informationRequirement')) {
    const href = str(child(requirement, 'requiredDecision'), 'href');
    if (href === undefined) continue;
    if (!href.startsWith('#')) {
      ctx.refuse(id, `required decision '${href}' refers outside this resource; a required decision must be in the same DMN file (href="#id")`);
      continue;
    }
    requiredDecisionIds.push(href.slice(1));
  }
  const knowledge = bkms.required(el, id);
  const variable = child(el, 'variable');
  const result = {
    resultName: str(variable, 'name') || id,
    ...optional('resultTypeRef', str(variable, 'typeRef')),
    ...(knowledge.length > 0 ? { knowledge } : {}),
  };
  const logicEl = child(el, 'decisionLogic');
  let logic: AnyDecisionLogic | undefined;
  if (logicEl?.$type === 'dmn:DecisionTable') {
    logic = compileDecisionTable(logicEl, id, result, ctx);
  } else if (logicEl?.$type === 'dmn:LiteralExpression') {
    logic = compileLiteralExpression(logicEl, id, result, ctx);
  } else if (logicEl === undefined) {
    ctx.refuse(id, 'decision has no decision logic; it needs a decision table or a literal expression');
  } else {
    const what = UNSUPPORTED_LOGIC[logicEl.$type] ?? `'${logicEl.$type}'`;
    ctx.refuse(id, `decision logic is ${what}; this engine runs decision tables and literal expressions only`);
  }
  if (!logic) return undefined;
  const decision: CompiledDecision = {
    id,
    name: name || id,
    type: logic.kind === 'decisionTable' ? 'DECISION_TABLE' : 'LITERAL_EXPRESSION',
    requiredDecisionIds,
    logic,
  };
  const versionTag = versionTagOf(el);
  if (versionTag) decision.versionTag = versionTag;
  return decision;
}

function compileLiteralExpression(
  el: El,
  decisionId: string,
  result: Pick<LiteralExpressionLogic, 'resultName' | 'resultTypeRef'>,
  ctx: CompileContext,
): LiteralExpressionLogic {
  const elementId = idOf(el) || decisionId;
  checkLanguage(el, elementId, ctx);
  const expression = textOf(el)?.trim() ?? '';
  if (expression === '') ctx.refuse(elementId, 'literal expression is empty');
  else checkExpression(expression, elementId, 'literal expression', ctx);
  return { kind: 'literalExpression', expression, ...result };
}

/** `<extensionElements><zeebe:versionTag value="…"/></extensionElements>` on a decision. */
function versionTagOf(el: El): string | undefined {
  const values = children(child(el, 'extensionElements'), 'values');
  const tag = values.find((value) => value.$type.toLowerCase() === 'zeebe:versiontag');
  return str(tag, 'value');
}

/** Refuses every decision on a cycle of required decisions (naming the cycle), as Camunda refuses the resource. */
function refuseCycles(decisions: CompiledDecision[], ctx: CompileContext): void {
  const byId = new Map(decisions.map((decision) => [decision.id, decision]));
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      if (!reported.has(id)) {
        for (const member of cycle.slice(0, -1)) reported.add(member);
        ctx.refuse(id, `decisions require each other in a cycle: ${cycle.join(' → ')}`);
      }
      return;
    }
    state.set(id, 'visiting');
    for (const required of byId.get(id)?.requiredDecisionIds ?? []) if (byId.has(required)) visit(required, [...path, id]);
    state.set(id, 'done');
  };
  for (const decision of decisions) visit(decision.id, []);
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
