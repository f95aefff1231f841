/* global window, document */
// Browser side of `npm run render:models`: bundled by esbuild (viewer-bundle.ts) into one script that the
// headless page loads, so nothing comes from a CDN. It exposes two functions the Node side calls through
// playwright: each draws one model into #canvas and resolves once the page shows it.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { Form } from '@bpmn-io/form-js-viewer';

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';

const MARGIN = 24;

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
  const height = Math.ceil(inner.height + 2 * MARGIN);
  container.style.width = `${width}px`;
  container.style.height = `${height}px`;
  canvas.resized();
  canvas.viewbox({ x: inner.x - MARGIN, y: inner.y - MARGIN, width, height });
  return { width, height, warnings: warnings.map((w) => w.message) };
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
  return { width: Math.ceil(box.width), height: Math.ceil(box.height), warnings: warnings.map((w) => String(w.message ?? w)) };
}

window.renderModels = { renderBpmn, renderForm };
