import type { CompileContext } from '../model/compile-context.js';
import { child, children, idOf, str, type El } from '../model/moddle-element.js';
import { checkExpression, checkLanguage, textOf } from './compile-decision-table.js';
import type { KnowledgeModel } from './decision-logic.js';

/**
 * Compiles the business knowledge models of a DRG that decisions require: each a literal expression with formal
 * parameters (the executable BKM of Camunda Modeler), refusing other BKM logic, a missing or foreign BKM and cycles.
 */
export class KnowledgeCompiler {
  private readonly elements = new Map<string, El>();
  private readonly compiled = new Map<string, KnowledgeModel>();
  private readonly visiting: string[] = [];

  constructor(drgElements: El[], private readonly ctx: CompileContext) {
    for (const el of drgElements) if (el.$type === 'dmn:BusinessKnowledgeModel') this.elements.set(idOf(el), el);
  }

  /** The BKMs an element (decision or BKM) requires through its `knowledgeRequirement`s. */
  required(owner: El, ownerId: string): KnowledgeModel[] {
    const models: KnowledgeModel[] = [];
    for (const requirement of children(owner, 'knowledgeRequirement')) {
      const href = str(child(requirement, 'requiredKnowledge'), 'href');
      if (href === undefined) continue;
      if (!href.startsWith('#')) {
        this.ctx.refuse(ownerId, `required business knowledge model '${href}' refers outside this resource; it must be in the same DMN file (href="#id")`);
        continue;
      }
      const model = this.compile(href.slice(1), ownerId);
      if (model) models.push(model);
    }
    return models;
  }

  private compile(id: string, ownerId: string): KnowledgeModel | undefined {
    const done = this.compiled.get(id);
    if (done) return done;
    const el = this.elements.get(id);
    if (!el) {
      this.ctx.refuse(ownerId, `required business knowledge model '${id}' does not exist in this resource`);
      return undefined;
    }
    if (this.visiting.includes(id)) {
      this.ctx.refuse(id, `business knowledge models require each other in a cycle: ${[...this.visiting.slice(this.visiting.indexOf(id)), id].join(' → ')}`);
      return undefined;
    }
    this.visiting.push(id);
    const name = str(el, 'name') ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      this.ctx.refuse(id, `business knowledge model needs a name that FEEL can call (letters, digits, _), got '${name}'`);
    }
    const logic = child(el, 'encapsulatedLogic');
    const body = child(logic, 'body');
    let expression = '';
    if (body?.$type !== 'dmn:LiteralExpression') {
      this.ctx.refuse(id, `business knowledge model logic must be a literal expression${body ? `, not '${body.$type}'` : ''}`);
    } else {
      const bodyId = idOf(body) || id;
      checkLanguage(body, bodyId, this.ctx);
      expression = textOf(body)?.trim() ?? '';
      if (expression === '') this.ctx.refuse(bodyId, 'business knowledge model literal expression is empty');
      else checkExpression(expression, bodyId, 'business knowledge model literal expression', this.ctx);
    }
    const parameters = children(logic, 'formalParameter').map((parameter) => str(parameter, 'name') ?? '');
    const knowledge = this.required(el, id);
    this.visiting.pop();
    const model: KnowledgeModel = { id, name, parameters, expression, knowledge };
    this.compiled.set(id, model);
    return model;
  }
}
