/**
 * The permit's process as Operate draws it: the current diagram (bpmn-js), active elements highlighted, completed
 * ones marked, incidents in red; a call activity that started a process opens that process (drill down), and the
 * path back is a breadcrumb. Below the drawing the same facts in words, for people who do not see it.
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
        const label: Record<string, string> = {};
        for (const id of [...data.activeElementIds, ...data.incidentElementIds, ...data.calledProcesses.map((c) => c.elementId)]) label[id] = registry.get(id)?.businessObject?.name ?? id;
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
            <span className="legend legend-active">Active</span> <span className="legend legend-completed">Completed</span> <span className="legend legend-incident">Incident</span>
          </p>
          <p>
            Process <code>{data.processDefinitionId}</code>. Now at: {data.activeElementIds.length === 0 ? 'nothing (finished)' : data.activeElementIds.map((id) => names[id] ?? id).join(', ')}.
            {data.incidentElementIds.length > 0 ? ` Incident at: ${data.incidentElementIds.map((id) => names[id] ?? id).join(', ')}.` : ''}
          </p>
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
