// Representative data for rendering a form as a reviewer sees it: the process variables the forms read (one
// sample permit, see docs/processes.md "Variables the forms read") plus a plausible value for every input field,
// derived from the field's type so a new form renders filled without editing this file.

/** A form-js component as far as the renderer needs it. */
export interface FormComponent {
  type: string;
  key?: string;
  id?: string;
  label?: string;
  values?: Array<{ value: unknown; label?: string }>;
  components?: FormComponent[];
  conditional?: unknown;
  [other: string]: unknown;
}

export interface FormSchema {
  id?: string;
  components: FormComponent[];
  [other: string]: unknown;
}

/** The process variables a reviewer's form shows as context, for one sample permit. */
export const SAMPLE_PROCESS_VARIABLES: Record<string, unknown> = {
  permitId: '5f0c3a52-8d1e-4c7b-9a57-2b6f1e0d4c21',
  permitTitle: 'Long-term outcomes of paediatric asthma treatment',
  applicantName: 'Alice Andersen',
  permitPurpose: 'Study how treatment choices in childhood relate to hospital admissions in adulthood.',
  previousAssessmentComment: 'Please describe how the two cohorts are linked.',
  applicantResponse: 'They are linked on the pseudonymised person id the registry provides.',
  previousIngressExceptionComment: 'The manifest lists 12 files, the delivery holds 11; please deliver all of them.',
  previousProvisioningComment: 'GPU quota raised to 2 for the project namespace.',
  previousSetupDecision: 'REWORK_REQUESTED',
  previousSetupComment: 'Remove the file sync client: it could copy data out once the analysis starts.',
  dataHolder: 'national-patient-registry',
  setupSubmissionNote: 'R 4.4 and the survival package installed from the approved mirror.',
  ingressCheckFindings: [
    { path: 'admissions/2019.csv', message: 'Column "national_id" looks like a direct identifier' },
    'Checksum of prescriptions.parquet does not match the manifest',
  ],
  egressRequestId: 'eg-0042',
  // What the HDAB's output release policy (bpmn/output-release-policy.dmn) decided for it (BPMN 5).
  egressReleasePolicy: { requiredReviews: 2, reason: 'At least one file could not be checked automatically (a figure, a document or a table the checks cannot read): two reviewers check it by eye.' },
  // The output request as the research team submitted it, and the reviews so far (BPMN 5).
  egressTitle: 'Table 1 and Figure 2 for the manuscript',
  egressSubmittedBy: 'alice',
  egressSubmitterName: 'Alice Andersen',
  egressFiles: [
    { path: 'tables/table1-baseline.csv', description: 'Baseline characteristics by age band and sex' },
    { path: 'figures/figure2-survival.png', description: 'Kaplan-Meier curves by age band' },
  ],
  disclosureChecks: [
    { path: 'tables/table1-baseline.csv', checks: ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED'], note: 'Age bands below 40 merged' },
    { path: 'figures/figure2-survival.png', checks: ['NO_DOMINANCE'] },
  ],
  egressReviews: [
    { reviewer: 'rita', decision: 'REWORK_REQUESTED', checks: null, comment: 'Table 1: one cell below 10; merge the age bands below 40.' },
    { reviewer: 'rita', decision: 'APPROVED', checks: ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED', 'NO_DOMINANCE', 'NO_DIFFERENCING', 'NO_IDENTIFIERS'], comment: null },
  ],
  // The amendment as the Permit Manager sends it (BPMN 6): user ids, team role codes, an ISO end of day.
  amendmentRequestedBy: 'alice',
  amendmentRequesterName: 'Alice Andersen',
  amendment: {
    summary: 'Carol joins for the survival analysis; six more months to finish it.',
    validUntil: '2027-06-30T23:59:59.999Z',
    addMembers: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }],
    removeMembers: [{ userId: 'bob' }],
  },
};

function sampleFor(component: FormComponent): unknown {
  const options = component.values ?? [];
  switch (component.type) {
    case 'textfield':
      return component.label ? `Sample ${component.label.toLowerCase()}` : 'Sample text';
    case 'textarea':
      return 'Text the person deciding writes here.';
    case 'number':
      return 1;
    case 'checkbox':
      return true;
    case 'checklist':
    case 'taglist':
      return options.map((option) => option.value);
    case 'radio':
    case 'select':
      return options[0]?.value;
    case 'datetime':
      // The value shapes form-js writes: a date, a time, or a date and time in UTC.
      if (component.subtype === 'time') return '23:59';
      return component.subtype === 'datetime' ? '2027-06-30T23:59Z' : '2027-06-30';
    default:
      return undefined;
  }
}

function visit(components: FormComponent[], each: (component: FormComponent) => void): void {
  for (const component of components) {
    each(component);
    if (component.components) visit(component.components, each);
  }
}

/**
 * The schema as rendered: every field shown (conditions that hide a field are dropped, so the picture shows
 * all of the form), nothing else changed.
 */
export function showEveryField(schema: FormSchema): FormSchema {
  const copy = structuredClone(schema);
  visit(copy.components, (component) => {
    delete component.conditional;
  });
  return copy;
}

/** Sample data: the process variables plus a value for every keyed input the form does not already get. */
export function sampleDataFor(schema: FormSchema): Record<string, unknown> {
  const data: Record<string, unknown> = { ...SAMPLE_PROCESS_VARIABLES };
  visit(schema.components, (component) => {
    if (!component.key || component.key in data) return;
    const value = sampleFor(component);
    if (value !== undefined) data[component.key] = value;
  });
  return data;
}
