/**
 * A Camunda Form rendered with form-js (the same JSON Tasklist renders), prefilled with the task's variables and any
 * unsent draft of this task; submitting hands the values on when form-js finds no errors.
 */
import { Form } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { useEffect, useRef } from 'react';
import { readDraft } from '../../drafts';

interface Props {
  schema: unknown;
  data: Record<string, unknown>;
  draftKey: string;
  onSubmit: (variables: Record<string, unknown>) => void;
}

export function TaskForm({ schema, data, draftKey, onSubmit }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  const formRef = useRef<Form>(undefined);
  useEffect(() => {
    if (!container.current) return;
    const form = new Form({ container: container.current });
    formRef.current = form;
    const draft = readDraft<Record<string, unknown>>(draftKey) ?? {};
    void form.importSchema(schema as never, { ...data, ...draft }).then(() => {
      form.on('changed', (event: { data: Record<string, unknown> }) => window.sessionStorage.setItem(`spe-draft:${draftKey}`, JSON.stringify(event.data)));
    });
    return () => form.destroy();
  }, [schema, data, draftKey]);
  return (
    <div>
      <div ref={container} className="camunda-form" />
      <button
        type="button"
        onClick={() => {
        const form = formRef.current;
        if (!form) return;
        const result = form.submit() as { data: Record<string, unknown>; errors: Record<string, unknown> };
        if (Object.keys(result.errors).length > 0) return;
        window.sessionStorage.removeItem(`spe-draft:${draftKey}`);
        submit.current(result.data);
        }}
      >
        Complete task
      </button>
    </div>
  );
}
