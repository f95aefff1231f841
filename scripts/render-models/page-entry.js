/* global window, document */
// Browser side of `npm run render:models`: bundled by esbuild (viewer-bundle.ts) into one script that the
// headless page loads, so nothing comes from a CDN. It exposes two functions the Node side calls through
// playwright: each draws one model into #canvas and resolves once the page shows it.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { Form } from '@bpmn-io/form-js-viewer';
import { DmnModdle } from 'dmn-moddle';

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';

const MARGIN = 24;
// Room below the drawing for the bpmn.io watermark (bottom right; its licence keeps it), so it covers no label.
const WATERMARK_STRIP = 48;

function freshContainer(width, height) {
  const old = document.getElementById('canvas');
  if (old) old.remove();
  const container = document.createElement('div');
  container.id = 'canvas';
  container.style.width = `${width}px`;
  if (height) container.style.height = `${height}px`;
  document.body.appendChild(container);
  return container;
}

// Draws a BPMN diagram at 100 % (as Modeler opens it) and returns the size the screenshot needs.
async function renderBpmn(xml) {
  const container = freshContainer(400, 300);
  const viewer = new NavigatedViewer({ container });
  const { warnings } = await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  // The bounding box of everything drawn (shapes, flows and labels), in diagram coordinates.
  const inner = canvas.getActiveLayer().getBBox();
  const width = Math.ceil(inner.width + 2 * MARGIN);
  const height = Math.ceil(inner.height + 2 * MARGIN + WATERMARK_STRIP);
  container.style.width = `${width}px`;
  container.style.height = `${height}px`;
  canvas.resized();
  canvas.viewbox({ x: inner.x - MARGIN, y: inner.y - MARGIN, width, height });
  return { width, height, warnings: warnings.map((w) => w.message), problems: readingProblems(viewer) };
}

// The task-type icon bpmn-js draws in a task's top-left corner (service gear, user, script…), in shape coordinates.
const ICON_EXTENT = 24;

function lineTexts(gfx) {
  return [...gfx.querySelectorAll('text tspan')];
}

// What a reader of the diagram stumbles over, found on the drawn SVG: a name broken inside a word (its label box
// is narrower than the word), a task name running under the task-type icon, flows that cross, an unlabelled
// outgoing flow of a deciding gateway.
function readingProblems(viewer) {
  const registry = viewer.get('elementRegistry');
  const problems = [];
  const name = (element) => `${element.id}${element.businessObject.name ? ` ("${element.businessObject.name}")` : ''}`;
  for (const element of registry.getAll()) {
    const bo = element.businessObject;
    const text = bo && bo.name ? bo.name.replace(/\s+/g, ' ').trim() : '';
    const gfx = registry.getGraphics(element);
    // The process itself (the canvas root) has a name but no drawn label.
    if (text && gfx && element.parent) {
      const lines = lineTexts(gfx).map((t) => t.textContent.trim()).filter(Boolean);
      if (lines.length > 0) {
        const words = text.split(' ');
        const drawnWords = lines.join(' ').split(' ');
        if (drawnWords.length !== words.length) problems.push(`${name(element)}: a word is broken across lines; widen its label or box`);
      }
      if (element.type.endsWith('Task') && element.type !== 'bpmn:Task' && !element.labelTarget) {
        const under = lineTexts(gfx).some((t) => {
          const box = t.getBBox();
          return box.width > 0 && box.x < ICON_EXTENT && box.y < ICON_EXTENT;
        });
        if (under) problems.push(`${name(element)}: the name runs under the task-type icon; shorten it to three lines`);
        if (lineTexts(gfx).length > 3) problems.push(`${name(element)}: the name takes ${lineTexts(gfx).length} lines; keep it to three`);
      }
    }
    if (!element.labelTarget && (element.type === 'bpmn:ExclusiveGateway' || element.type === 'bpmn:InclusiveGateway')) {
      const outgoing = (element.outgoing || []).filter((flow) => flow.type === 'bpmn:SequenceFlow');
      if (outgoing.length > 1) {
        if (!text) problems.push(`${element.id}: a deciding gateway without a question`);
        for (const flow of outgoing) if (!flow.businessObject.name) problems.push(`${flow.id}: an outgoing flow of ${name(element)} without a label`);
      }
    }
    if (!element.labelTarget && element.type === 'bpmn:EventBasedGateway' && !text) problems.push(`${element.id}: an event-based gateway without a name`);
  }
  problems.push(...crossings(registry));
  return problems;
}

function segments(connection) {
  const points = connection.waypoints || [];
  return points.slice(1).map((point, index) => [points[index], point]);
}

function cross(a, b, c, d) {
  const orient = (p, q, r) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  // Proper crossings only: flows that meet at a shared point (a join, a split) do not count.
  return orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0;
}

function crossings(registry) {
  const flows = registry.filter((e) => e.type === 'bpmn:SequenceFlow' && e.waypoints);
  const problems = [];
  for (let i = 0; i < flows.length; i += 1) {
    for (let j = i + 1; j < flows.length; j += 1) {
      const hit = segments(flows[i]).some(([a, b]) => segments(flows[j]).some(([c, d]) => cross(a, b, c, d)));
      if (hit) problems.push(`${flows[i].id} and ${flows[j].id} cross; route one around the other`);
    }
  }
  return problems;
}

// Draws a form as Tasklist's form viewer does, filled with the sample data, and returns its size.
async function renderForm(schema, data, width) {
  const container = freshContainer(width);
  container.style.padding = '16px';
  container.style.boxSizing = 'border-box';
  container.style.background = '#fff';
  const form = new Form({ container });
  const { warnings } = await form.importSchema(schema, data);
  const box = container.getBoundingClientRect();
  return { width: Math.ceil(box.width), height: Math.ceil(box.height), warnings: warnings.map((w) => String(w.message ?? w)), problems: [] };
}

// A DMN decision table as Camunda Modeler's decision table view shows it: the decision's name and hit policy, the
// inputs (label, expression) and outputs (label, name), one row per rule with its annotation. Drawn as an HTML table
// from the DMN read with dmn-moddle; a literal expression decision shows its expression.
async function renderDmn(xml, width) {
  const container = freshContainer(width);
  container.style.padding = '16px';
  container.style.boxSizing = 'border-box';
  container.style.background = '#fff';
  container.style.font = '13px sans-serif';
  const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
  const problems = [];
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node.style, attrs || {});
    for (const child of children) node.append(child);
    return node;
  };
  const cell = { border: '1px solid #444', padding: '4px 8px', verticalAlign: 'top', textAlign: 'left', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };
  for (const decision of (rootElement.drgElement || []).filter((d) => d.$type === 'dmn:Decision')) {
    container.append(el('h2', { margin: '0 0 4px', fontSize: '16px' }, `${decision.name || decision.id}`), el('div', { color: '#555', marginBottom: '8px' }, `decision id ${decision.id}`));
    const logic = decision.decisionLogic;
    if (logic && logic.$type === 'dmn:DecisionTable') {
      const inputs = logic.input || [];
      const outputs = logic.output || [];
      const table = el('table', { borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed' });
      // Inputs share 45 % of the width, outputs 27 %, the annotations 28 % (the rule number takes 32 px).
      const columns = el('colgroup', {}, el('col', { width: '32px' }));
      for (const _ of inputs) columns.append(el('col', { width: `${45 / inputs.length}%` }));
      for (const _ of outputs) columns.append(el('col', { width: `${27 / outputs.length}%` }));
      columns.append(el('col', { width: '28%' }));
      table.append(columns);
      const hitPolicy = `${logic.hitPolicy || 'UNIQUE'}${logic.aggregation ? ` ${logic.aggregation}` : ''}`;
      const head = el('tr', {}, el('th', { ...cell, background: '#eee' }, hitPolicy.charAt(0)));
      for (const input of inputs) head.append(el('th', { ...cell, background: '#e8f0fb' }, `${input.label || ''}\n`, el('code', { fontWeight: 'normal' }, input.inputExpression?.text?.body ?? input.inputExpression?.text ?? '')));
      for (const output of outputs) head.append(el('th', { ...cell, background: '#fdf3e1' }, `${output.label || ''}\n`, el('code', { fontWeight: 'normal' }, output.name || '')));
      head.append(el('th', { ...cell, background: '#f4f4f4' }, 'Annotations'));
      table.append(el('caption', { textAlign: 'left', padding: '4px 0' }, `Hit policy: ${hitPolicy}`), head);
      for (const [index, rule] of (logic.rule || []).entries()) {
        const row = el('tr', {}, el('td', { ...cell, background: '#eee' }, String(index + 1)));
        for (const entry of rule.inputEntry || []) row.append(el('td', cell, entry.text || ''));
        for (const entry of rule.outputEntry || []) row.append(el('td', cell, entry.text || ''));
        row.append(el('td', { ...cell, color: '#333', maxWidth: '320px' }, rule.description || ''));
        if ((rule.inputEntry || []).length !== inputs.length || (rule.outputEntry || []).length !== outputs.length) problems.push(`${rule.id}: its entries do not match the table's columns`);
        if (!rule.description) problems.push(`${rule.id}: no annotation says why the rule is there`);
        table.append(row);
      }
      container.append(table);
    } else if (logic && logic.$type === 'dmn:LiteralExpression') {
      container.append(el('pre', { ...cell }, logic.text || ''));
    }
    if (decision.description) container.append(el('p', { color: '#333', maxWidth: `${width - 40}px` }, decision.description));
  }
  const box = container.getBoundingClientRect();
  return { width: Math.ceil(box.width), height: Math.ceil(box.height), warnings: warnings.map((w) => String(w.message ?? w)), problems };
}

window.renderModels = { renderBpmn, renderForm, renderDmn };
