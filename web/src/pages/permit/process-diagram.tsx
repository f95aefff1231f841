/**
 * The permit's process as Operate draws it: the current diagram (bpmn-js), active elements highlighted, completed
 * ones marked, incidents in red, the sequence flows the instance took drawn as its path, and on each element it
 * reached badges counting its instances (active, incidents, completed: Operate's badges); a call activity that
 * started a process opens that process (drill down), and the path back is a breadcrumb. Below the drawing the same
 * facts in words, for people who do not see it.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { useEffect, useRef, useState } from 'react';
import type { ProcessView } from '../../api/types';
import { Loading, ProblemMessage } from '../../components/ui';
import { useLiveEvents } from '../../events';
import { useApi } from '../../use-api';

interface Canvas {
  zoom(level: string): void;
  addMarker(id: string, marker: string): void;
}
interface ElementRegistry {
  get(id: string): { businessObject?: { name?: string } } | undefined;
}
interface Overlays {
  add(elementId: string, type: string, overlay: { position: { bottom?: number; left?: number; right?: number; top?: number }; html: HTMLElement }): string;
}
interface EventBus {
  on(event: string, callback: (event: { element: { id: string } }) => void): void;
}

export function ProcessDiagram({ permitId }: { permitId: string }) {
  const [path, setPath] = useState<Array<{ key: string; label: string }>>([]);
  const current = path[path.length - 1];
  const view = useApi<ProcessView>(`/permits/${permitId}/process${current ? `?processInstanceKey=${current.key}` : ''}`);
  useLiveEvents(() => view.reload(), (e) => e.permitId === permitId);
  const container = useRef<HTMLDivElement>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const data = view.data;
    if (!data || !container.current) return;
    const viewer = new NavigatedViewer({ container: container.current });
    let live = true;
    viewer.importXML(data.xml).then(
      () => {
        if (!live) return;
        const canvas = viewer.get<Canvas>('canvas');
        const registry = viewer.get<ElementRegistry>('elementRegistry');
        canvas.zoom('fit-viewport');
        const mark = (ids: string[], marker: string) => ids.forEach((id) => registry.get(id) && canvas.addMarker(id, marker));
        mark(data.completedElementIds, 'spe-completed');
        mark(data.activeElementIds, 'spe-active');
        mark(data.incidentElementIds, 'spe-incident');
        mark(data.calledProcesses.map((c) => c.elementId), 'spe-drillable');
        mark(data.takenSequenceFlowIds, 'spe-taken');
        const overlays = viewer.get<Overlays>('overlays');
        for (const counts of data.elementStatistics) {
          if (!registry.get(counts.elementId)) continue;
          const badges = countBadges(counts);
          if (badges) overlays.add(counts.elementId, 'spe-counts', { position: { bottom: 10, left: -10 }, html: badges });
        }
        const label: Record<string, string> = {};
        for (const id of [...data.elementStatistics.map((c) => c.elementId), ...data.calledProcesses.map((c) => c.elementId)]) label[id] = registry.get(id)?.businessObject?.name ?? id;
        setNames(label);
        viewer.get<EventBus>('eventBus').on('element.click', (event) => {
          const called = [...data.calledProcesses].reverse().find((c) => c.elementId === event.element.id);
          if (called) setPath((p) => [...p, { key: called.processInstanceKey, label: label[called.elementId] ?? called.processDefinitionId }]);
        });
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
      viewer.destroy();
    };
  }, [view.data]);

  if (view.error) return <ProblemMessage error={view.error} label="The process could not be shown" />;
  const data = view.data;
  return (
    <figure className="diagram-figure">
      <nav aria-label="Process levels" className="crumbs">
        <button type="button" className="link" onClick={() => setPath([])} aria-current={path.length === 0 ? 'page' : undefined}>
          Permit lifecycle
        </button>
        {path.map((step, index) => (
          <span key={step.key}>
            {' / '}
            <button type="button" className="link" onClick={() => setPath(path.slice(0, index + 1))} aria-current={index === path.length - 1 ? 'page' : undefined}>
              {step.label}
            </button>
          </span>
        ))}
      </nav>
      {!data ? <Loading what="the diagram" /> : null}
      <div ref={container} className="diagram" role="region" aria-label="Process diagram (drag to move, scroll to zoom; the same facts in words below)" />
      <ProblemMessage error={error} label="The diagram could not be drawn" />
      {data ? (
        <figcaption>
          <p>
            <span className="legend legend-active">Active</span> <span className="legend legend-completed">Completed</span> <span className="legend legend-incident">Incident</span>{' '}
            <span className="legend legend-taken">Path taken</span> Badges count an element&apos;s instances: <span className="spe-badge spe-badge-active">active</span>{' '}
            <span className="spe-badge spe-badge-incidents">incidents</span> <span className="spe-badge spe-badge-completed">completed</span>
          </p>
          <p>
            Process <code>{data.processDefinitionId}</code>. Now at: {data.activeElementIds.length === 0 ? 'nothing (finished)' : data.activeElementIds.map((id) => names[id] ?? id).join(', ')}.
            {data.incidentElementIds.length > 0 ? ` Incident at: ${data.incidentElementIds.map((id) => names[id] ?? id).join(', ')}.` : ''}
          </p>
          {data.elementStatistics.length > 0 ? (
            <details>
              <summary>Counts per step ({data.takenSequenceFlowIds.length} flows taken)</summary>
              <ul className="plain">
                {data.elementStatistics.map((c) => (
                  <li key={c.elementId}>
                    {names[c.elementId] ?? c.elementId}: {countWords(c)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {data.calledProcesses.length > 0 ? (
            <div>
              Called processes (open one to see its diagram):
              <ul className="plain inline">
                {data.calledProcesses.map((c) => (
                  <li key={c.processInstanceKey}>
                    <button type="button" className="link" onClick={() => setPath([...path, { key: c.processInstanceKey, label: names[c.elementId] ?? c.processDefinitionId }])}>
                      {names[c.elementId] ?? c.processDefinitionId} ({c.state.toLowerCase()})
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

type Counts = ProcessView['elementStatistics'][number];

/** Operate's badges on an element: active (green), incidents (red), completed (grey); none when all are zero. */
function countBadges(counts: Counts): HTMLElement | undefined {
  const parts = (
    [
      ['active', counts.active],
      ['incidents', counts.incidents],
      ['completed', counts.completed],
    ] as const
  ).filter(([, n]) => n > 0);
  if (parts.length === 0) return undefined;
  const box = document.createElement('div');
  box.className = 'spe-badges';
  // The counts are said in words below the drawing; the badges are for the eye.
  box.setAttribute('aria-hidden', 'true');
  for (const [kind, n] of parts) {
    const badge = document.createElement('span');
    badge.className = `spe-badge spe-badge-${kind}`;
    badge.title = `${n} ${kind}`;
    badge.textContent = String(n);
    box.append(badge);
  }
  return box;
}

function countWords(counts: Counts): string {
  const words = [`${counts.active} active`, `${counts.incidents} with an incident`, `${counts.completed} completed`];
  if (counts.canceled > 0) words.push(`${counts.canceled} canceled`);
  return words.join(', ');
}
