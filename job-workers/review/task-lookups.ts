/**
 * What the decision listener asks the engine (the port): the form the user task shows, and the values its process
 * instance holds, to compare with the job's variables (process variables with the completion's merged over them).
 * `createCamundaTaskLookups` implements it on the official client.
 */
export interface TaskForm {
  formId: string;
  schema: unknown;
}

export interface TaskLookups {
  /** The form linked to the user task, as Tasklist renders it; undefined when it links none. */
  form(userTaskKey: string, formKey?: string): Promise<TaskForm | undefined>;
  /** The value of a variable at the process instance's own scope; undefined when it has none. */
  storedVariable(processInstanceKey: string, name: string): Promise<unknown>;
}
