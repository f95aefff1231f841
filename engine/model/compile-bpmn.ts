import { CompileContext } from './compile-context.js';
import { CompiledModelCache } from './compiled-model-cache.js';
import { compileFlowNode, type ScopeKind } from './compile-element.js';
import { bodyOf, bool, child, children, extension, idOf, parseDefinitions, str, type El } from './moddle-element.js';
import type { CompiledElement, CompiledFlow, CompiledProcess, UnsupportedElement } from './types.js';
import { validateProcess } from './validate-process.js';

const IGNORED_FLOW_ELEMENTS = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export interface CompileResult {
  /** Every executable process of the resource; empty whenever `errors` is not. */
  processes: CompiledProcess[];
  /** One entry per element the engine refuses, with why. A deployment must be refused when non-empty. */
  errors: UnsupportedElement[];
}

/**
 * The compiled diagrams of this process, by resource name and content (compiled-model-cache.ts): a platform start
 * or an engine reload deploys the same diagrams again. 8 MB of BPMN source is some hundred versions of the
 * product's diagrams (316 KB in all), so a long-running engine fed new versions keeps the recent ones only.
 */
export const compiledBpmn = new CompiledModelCache<CompileResult>(8 * 1024 * 1024);

/**
 * Compiles a BPMN resource into what the interpreter executes, refusing everything outside the subset
 * of BPMN (and Zeebe extensions) that the engine runs. Diagram interchange (bpmndi) is ignored, as Zeebe ignores it
 * when it executes: a shape or plane that refers to an element no longer in the process (left behind by an edit
 * in an older modeler) does not block the deployment.
 */
export function compileBpmn(resourceName: string, xml: string): Promise<CompileResult> {
  return compiledBpmn.get(resourceName, xml, () => compileBpmnFromXml(resourceName, xml));
}

async function compileBpmnFromXml(resourceName: string, xml: string): Promise<CompileResult> {
  const ctx = new CompileContext(resourceName);
  let definitions: El;
  try {
    const parsed = await parseDefinitions(xml);
    definitions = parsed.definitions;
    for (const warning of parsed.warnings) if (!warning.inDiagram) ctx.refuse(warning.elementId, warning.message);
  } catch (error) {
    ctx.refuse('', `the resource is not readable BPMN XML: ${(error as Error).message.replace(/\n\s*/g, '; ')}`);
    return { processes: [], errors: ctx.errors };
  }
  if (definitions?.$type !== 'bpmn:Definitions') {
    ctx.refuse('', 'the resource is not a BPMN document (no bpmn:definitions root)');
    return { processes: [], errors: ctx.errors };
  }
  const executable = children(definitions, 'rootElements').filter(
    (root) => root.$type === 'bpmn:Process' && bool(root, 'isExecutable') === true,
  );
  if (executable.length === 0) ctx.refuse('', 'the resource contains no executable process (bpmn:process isExecutable="true")');
  const processes = executable.map((process) => compileProcess(process, ctx));
  return { processes: ctx.errors.length === 0 ? processes : [], errors: ctx.errors };
}

interface ProcessState {
  process: CompiledProcess;
  /** Sequence flows of every scope, compiled once all flow nodes are known. */
  flowElements: El[];
  ids: Set<string>;
}

function compileProcess(el: El, ctx: CompileContext): CompiledProcess {
  const id = idOf(el);
  const process: CompiledProcess = {
    id,
    elements: {},
    flows: {},
    messageStartEventIds: [],
    timerStartEventIds: [],
    signalStartEventIds: [],
  };
  const name = str(el, 'name');
  if (name) process.name = name;
  const versionTag = str(extension(el, 'zeebe:VersionTag'), 'value');
  if (versionTag) process.versionTag = versionTag;

  const processElement: CompiledElement = {
    id,
    type: 'PROCESS',
    scopeId: '',
    incoming: [],
    outgoing: [],
    inputMappings: [],
    outputMappings: [],
    boundaryEvents: [],
  };
  if (name) processElement.name = name;
  const state: ProcessState = { process, flowElements: [], ids: new Set([id]) };
  process.elements[id] = processElement;
  compileScope(el, processElement, 'process', state, ctx);
  for (const flow of state.flowElements) compileFlow(flow, state, ctx);
  for (const flow of Object.values(process.flows)) {
    process.elements[flow.sourceId]?.outgoing.push(flow.id);
    process.elements[flow.targetId]?.incoming.push(flow.id);
  }
  const noneStart = processElement.noneStartEventId;
  if (noneStart !== undefined) {
    process.noneStartEventId = noneStart;
    const startEvent = children(el, 'flowElements').find((node) => idOf(node) === noneStart);
    const formId = str(extension(startEvent, 'zeebe:FormDefinition'), 'formId');
    if (formId) process.startFormId = formId;
  }
  validateProcess(process, ctx);
  return process;
}

function compileScope(container: El, scope: CompiledElement, kind: ScopeKind, state: ProcessState, ctx: CompileContext): void {
  const { process } = state;
  scope.children = [];
  scope.eventSubProcesses = [];
  const startEvents: CompiledElement[] = [];
  const noneStartIds = new Set<string>();
  for (const node of children(container, 'flowElements')) {
    if (node.$type === 'bpmn:SequenceFlow') {
      state.flowElements.push(node);
      continue;
    }
    if (IGNORED_FLOW_ELEMENTS.has(node.$type)) continue;
    const element = compileFlowNode(node, scope.id, kind, ctx);
    if (!element) continue;
    if (state.ids.has(element.id)) {
      ctx.refuse(element.id, `duplicated id '${element.id}'`);
      continue;
    }
    state.ids.add(element.id);
    process.elements[element.id] = element;
    scope.children.push(element.id);
    if (element.type === 'START_EVENT') startEvents.push(element);
    if (element.type === 'START_EVENT' && children(node, 'eventDefinitions').length === 0) noneStartIds.add(element.id);
    if (element.type === 'SUB_PROCESS') compileScope(node, element, 'sub-process', state, ctx);
    if (element.type === 'EVENT_SUB_PROCESS') {
      scope.eventSubProcesses.push(element.id);
      compileScope(node, element, 'event sub-process', state, ctx);
    }
  }
  registerStartEvents(scope, kind, startEvents, noneStartIds, process, ctx);
}

function registerStartEvents(
  scope: CompiledElement,
  kind: ScopeKind,
  startEvents: CompiledElement[],
  noneStartIds: Set<string>,
  process: CompiledProcess,
  ctx: CompileContext,
): void {
  const none = startEvents.filter((start) => noneStartIds.has(start.id));
  if (kind === 'event sub-process') {
    if (startEvents.length !== 1) ctx.refuse(scope.id, `event sub-process needs exactly one start event, found ${startEvents.length}`);
    if (startEvents[0]) scope.eventSubProcessStartId = startEvents[0].id;
    return;
  }
  if (none.length > 1) ctx.refuse(scope.id, `multiple none start events (${none.map((s) => s.id).join(', ')}) are not allowed`);
  if (none[0]) scope.noneStartEventId = none[0].id;
  if (kind === 'sub-process') {
    if (none.length === 0) ctx.refuse(scope.id, 'sub-process needs exactly one none start event');
    return;
  }
  for (const start of startEvents) {
    const eventKind = start.eventDefinition?.kind;
    if (eventKind === 'message') process.messageStartEventIds.push(start.id);
    if (eventKind === 'timer') process.timerStartEventIds.push(start.id);
    if (eventKind === 'signal') process.signalStartEventIds.push(start.id);
  }
  if (startEvents.length === 0) {
    ctx.refuse(scope.id, 'process has no start event; it needs a none, message, timer or signal start event');
  }
}

function compileFlow(el: El, state: ProcessState, ctx: CompileContext): void {
  const id = idOf(el);
  if (state.ids.has(id)) {
    ctx.refuse(id, `duplicated id '${id}'`);
    return;
  }
  state.ids.add(id);
  const sourceId = idOf(child(el, 'sourceRef'));
  const targetId = idOf(child(el, 'targetRef'));
  if (!state.process.elements[sourceId] || !state.process.elements[targetId]) {
    ctx.refuse(id, `sequence flow must connect two supported elements (source '${sourceId}', target '${targetId}')`);
  }
  const flow: CompiledFlow = { id, sourceId, targetId };
  const name = str(el, 'name');
  if (name) flow.name = name;
  const condition = bodyOf(child(el, 'conditionExpression'));
  if (condition) flow.condition = ctx.expression(id, 'condition expression', condition, true);
  state.process.flows[id] = flow;
}
