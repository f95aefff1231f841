/**
 * Diagram interchange: process owners open these files in Camunda Modeler, so every flow element must be drawn.
 * Each flow node (boundary events and sub-processes included) has a shape with bounds, each sequence flow an
 * edge with at least two waypoints, expanded sub-processes contain their children, and no two shapes in the same
 * container overlap (boundary events sit on their task's border and are exempt).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { BPMN_DIR } from './support/process-harness.js';

interface Bounds { x: number; y: number; width: number; height: number }
interface Element { id: string; $type: string; flowElements?: Element[]; attachedToRef?: Element }
interface DiagramElement { $type: string; bpmnElement?: { id: string }; bounds?: Bounds; waypoint?: unknown[]; isExpanded?: boolean }

const zeebe = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json') as Record<string, unknown>;
const files = readdirSync(BPMN_DIR).filter((f) => f.endsWith('.bpmn')).sort();

async function load(file: string) {
  const moddle = new BpmnModdle({ zeebe } as never);
  const { rootElement } = (await moddle.fromXML(readFileSync(`${BPMN_DIR}/${file}`, 'utf8'))) as unknown as {
    rootElement: { rootElements: Element[]; diagrams: Array<{ plane: { planeElement: DiagramElement[] } }> };
  };
  return rootElement;
}

/** Flow elements with the container they sit in (the process or a sub-process). */
function flowElementsOf(container: Element, out: Array<{ element: Element; container: string }> = []) {
  for (const element of container.flowElements ?? []) {
    out.push({ element, container: container.id });
    if (element.flowElements) flowElementsOf(element, out);
  }
  return out;
}

const inside = (inner: Bounds, outer: Bounds) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Bounds, b: Bounds) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.each(files)('%s diagram interchange', (file) => {
  it('draws every flow node and every sequence flow', async () => {
    const definitions = await load(file);
    const drawn = new Map(definitions.diagrams.flatMap((d) => d.plane.planeElement).filter((p) => p.bpmnElement).map((p) => [p.bpmnElement!.id, p]));
    const problems: string[] = [];
    for (const process of definitions.rootElements.filter((r) => r.$type === 'bpmn:Process')) {
      for (const { element } of flowElementsOf(process)) {
        const di = drawn.get(element.id);
        if (element.$type === 'bpmn:SequenceFlow') {
          if (!di || di.$type !== 'bpmndi:BPMNEdge' || (di.waypoint?.length ?? 0) < 2) problems.push(`${element.id}: no edge with waypoints`);
        } else if (!di || di.$type !== 'bpmndi:BPMNShape' || !di.bounds) {
          problems.push(`${element.id} (${element.$type}): no shape`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps sub-process children inside their container and shapes of one container apart', async () => {
    const definitions = await load(file);
    const shapes = new Map(
      definitions.diagrams.flatMap((d) => d.plane.planeElement).filter((p) => p.$type === 'bpmndi:BPMNShape' && p.bpmnElement && p.bounds).map((p) => [p.bpmnElement!.id, p.bounds!]),
    );
    const problems: string[] = [];
    for (const process of definitions.rootElements.filter((r) => r.$type === 'bpmn:Process')) {
      const nodes = flowElementsOf(process).filter(({ element }) => element.$type !== 'bpmn:SequenceFlow' && shapes.has(element.id));
      for (const { element, container } of nodes) {
        const outer = shapes.get(container);
        if (outer && element.$type !== 'bpmn:BoundaryEvent' && !inside(shapes.get(element.id)!, outer)) problems.push(`${element.id} sticks out of ${container}`);
      }
      const placed = nodes.filter(({ element }) => element.$type !== 'bpmn:BoundaryEvent');
      for (let i = 0; i < placed.length; i++) {
        for (let j = i + 1; j < placed.length; j++) {
          const a = placed[i]!;
          const b = placed[j]!;
          if (a.container === b.container && overlap(shapes.get(a.element.id)!, shapes.get(b.element.id)!)) problems.push(`${a.element.id} overlaps ${b.element.id}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
