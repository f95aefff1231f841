/** What an operator should do about an incident, by its error type, in words (the error message says the rest). */
const ADVICE: Record<string, string> = {
  JOB_NO_RETRIES:
    'The worker for this step failed on every try. Read the error, fix its cause (the service it calls, its configuration or the data it needs), then Retry: the step runs once more.',
  EXECUTION_LISTENER_NO_RETRIES: 'An execution listener failed on every try. Fix what its error names, then Retry.',
  TASK_LISTENER_NO_RETRIES: 'A task listener failed on every try. Fix what its error names, then Retry.',
  UNHANDLED_ERROR_EVENT: 'The step raised a business error the diagram does not catch. Check the error code against the diagram (npm run deploy after fixing it), then Retry.',
  IO_MAPPING_ERROR: 'A variable this step maps is missing or has the wrong type. Correct the variable (or the mapping in the diagram), then Retry.',
  EXTRACT_VALUE_ERROR: 'An expression could not be evaluated (a variable is missing or of the wrong type). Correct the variable, then Retry.',
  CONDITION_ERROR: 'No outgoing condition of a gateway could be evaluated. Correct the variable the condition reads, then Retry.',
  CALLED_ELEMENT_ERROR: 'The process this step calls is not deployed. Deploy it (npm run deploy), then Retry.',
  FORM_NOT_FOUND: 'The form of this task is not deployed. Deploy forms/ (npm run deploy), then Retry.',
  RESOURCE_NOT_FOUND: 'A resource this step needs is not deployed. Deploy it (npm run deploy), then Retry.',
  MESSAGE_SIZE_EXCEEDED: 'The variables are too large for the engine. Reduce what the step writes, then Retry.',
};

export function adviceFor(errorType: string): string {
  return ADVICE[errorType] ?? 'Read the error, fix its cause, then Retry. If it fails again, the job workers\' log (component job-workers) has the details.';
}
