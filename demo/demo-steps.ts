/**
 * The demo's script as data: one permit from application to closure, each action taken by the seeded user whose
 * role allows it, with one rework round in the workspace setup review and one in the output review. Each step
 * says when it may act (`ready`), what it does (`act`, one REST call) and how to tell it has happened (`done`),
 * all judged from a snapshot, so the runner can skip what is done when it resumes.
 */
import { COHORT_EXTRACT, COHORT_PATH, downloadReleaseThen, FIGURE2_PATH, figure2Png, putOutputsThen, sha256Of, TABLE1_FIRST, TABLE1_PATH, TABLE1_REWORKED, uploadIngressThen } from './demo-outputs.js';
import { DISCLOSURE_CHECKS, FORM_IDS, type PermitStatus } from '../shared/index.js';
import type { ApiAnswer, DemoApi } from './demo-api.js';
import { decisionsOf, demoEgressRequest, hasBeenIn, timesIn, type DemoSnapshot } from './demo-snapshot.js';

export type DemoUser = 'alice' | 'rita' | 'victor' | 'dana' | 'adam';

/** What a step's call answered. Status 0: the call could not be made yet (no task to complete); try again. */
export type StepAnswer = ApiAnswer & { lostInFlight: boolean };

export interface DemoStep {
  id: string;
  /** Who acts: a seeded user, or `platform` for a step that only waits for the processes. */
  actor: DemoUser | 'platform';
  /** One line for the progress display and the timeline. */
  title: string;
  /** The state this step brings about, in words, for progress and failures. */
  expect: string;
  /** The permit statuses the step may act in. */
  readyIn: readonly PermitStatus[];
  /** Further condition to act (beyond the status). */
  ready?: (snapshot: DemoSnapshot) => boolean;
  /** Has the step's effect happened? */
  done: (snapshot: DemoSnapshot) => boolean;
  /** The call; absent for steps that only wait. */
  act?: (api: DemoApi, snapshot: DemoSnapshot) => Promise<StepAnswer>;
  /**
   * The notifications (templates) the step's action causes. After acting, the step is finished only once one more
   * round of each has been delivered, so they are reported under this step and not under the next one.
   */
  notifies?: readonly string[];
  /** HTTP statuses that mean "accepted". */
  accepted?: readonly number[];
}

const DAY_MS = 24 * 3600 * 1000;

export interface DemoApplication {
  title: string;
  purpose: string;
  validUntil: string;
  deletionGracePeriod: string;
}

/** The application Alice files; `runId` makes the title unique so a lost "create" answer can be found again. */
export function demoApplication(runId: string, now: Date, deletionGracePeriod: string): DemoApplication {
  return {
    title: `Cardiovascular outcomes after myocardial infarction (demo ${runId})`,
    purpose: 'Estimate five-year cardiovascular outcomes after a first myocardial infarction in the national cohort, by age band and sex.',
    validUntil: new Date(now.getTime() + 365 * DAY_MS).toISOString(),
    deletionGracePeriod,
  };
}

const review = (api: DemoApi, user: DemoUser, permitId: string, body: Record<string, unknown>) => api.call(user, 'POST', `/permits/${permitId}/review`, body);

async function completeTask(api: DemoApi, user: DemoUser, permitId: string, formId: string, variables: Record<string, unknown>): Promise<StepAnswer> {
  const tasks = await api.call<Array<{ userTaskKey: string; formId: string | null; permit: { id: string } }>>(user, 'GET', '/tasks');
  const task = tasks.status === 200 ? tasks.body.find((t) => t.permit.id === permitId && t.formId === formId) : undefined;
  if (!task) return { status: 0, body: { detail: `no open ${formId} task for ${user} yet` }, lostInFlight: false };
  return api.call(user, 'POST', `/tasks/${task.userTaskKey}/complete`, { variables });
}

function egressId(snapshot: DemoSnapshot): string {
  const request = demoEgressRequest(snapshot);
  if (!request) throw new Error('The demo has no output request yet (the step that drafts it did not run).');
  return request.id;
}

const egressStatus = (snapshot: DemoSnapshot) => demoEgressRequest(snapshot)?.status;

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    id: 'submit-application',
    actor: 'alice',
    title: 'Alice (researcher) submits the application',
    expect: 'the application under assessment',
    readyIn: ['DRAFT'],
    notifies: ['application-submitted'],
    done: (s) => hasBeenIn(s, 'UNDER_ASSESSMENT'),
    act: (api, s) => api.call('alice', 'POST', `/permits/${s.permit.id}/submit`),
  },
  {
    id: 'approve-application',
    actor: 'rita',
    title: 'Rita (HDAB reviewer) approves the application and issues the permit',
    expect: 'permit APPROVED',
    readyIn: ['UNDER_ASSESSMENT'],
    notifies: ['permit-issued'],
    done: (s) => hasBeenIn(s, 'APPROVED'),
    act: (api, s) => review(api, 'rita', s.permit.id, {
        stage: 'APPLICATION',
        decision: 'APPROVED',
        comment: 'Purpose and data minimisation are in order.',
        // An approval confirms every point of the form's checklist (the decision listener refuses it otherwise).
        checklist: ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION', 'APPLICANT_VETTED', 'ETHICS_APPROVAL_PRESENT'],
      }),
  },
  {
    id: 'initiate-ingress',
    actor: 'rita',
    title: 'Rita asks Dana (data holder) to deliver the cohort',
    expect: 'data ingress pending',
    readyIn: ['APPROVED'],
    notifies: ['ingress-initiated'],
    done: (s) => hasBeenIn(s, 'DATA_INGRESS_PENDING'),
    act: (api, s) => api.call('rita', 'POST', `/permits/${s.permit.id}/ingress`, { dataHolders: ['dana'] }),
  },
  {
    id: 'deliver-data',
    actor: 'dana',
    title: 'Dana uploads the extract (tus, into quarantine) and confirms it with its manifest',
    expect: 'the data checked: waiting for preparation, or held for the HDAB (not scanned)',
    readyIn: ['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS'],
    done: (s) => hasBeenIn(s, 'DATA_INGRESS_BLOCKED') || hasBeenIn(s, 'DATA_PREPARATION_PENDING'),
    act: (api, s) =>
      uploadIngressThen(api, 'dana', s.permit.id, COHORT_PATH, COHORT_EXTRACT, () =>
        api.call('dana', 'POST', `/permits/${s.permit.id}/ingress/uploads`, {
          manifest: { files: [{ path: COHORT_PATH, sha256: sha256Of(COHORT_EXTRACT), sizeBytes: Buffer.byteLength(COHORT_EXTRACT) }], note: 'Extract of 2026-11-20' },
        }),
      ),
  },
  {
    id: 'release-quarantine',
    actor: 'rita',
    title: 'Rita releases the delivery from quarantine if it was held (checksums match; not scanned without a malware scanner)',
    expect: 'the data waiting for preparation',
    readyIn: ['DATA_INGRESS_BLOCKED'],
    done: (s) => hasBeenIn(s, 'DATA_PREPARATION_PENDING'),
    act: (api, s) =>
      completeTask(api, 'rita', s.permit.id, FORM_IDS.ingressException, {
        ingressExceptionDecision: 'RELEASE_FROM_QUARANTINE',
        ingressExceptionComment: 'Checksums match the manifest; no scanner in this platform, the extract comes from the data holder\'s own system.',
      }),
  },
  {
    id: 'sign-off-preparation',
    actor: 'rita',
    title: 'Rita signs off the prepared (pseudonymised, minimised) data',
    expect: 'the setup workspace waiting for the research team',
    readyIn: ['DATA_PREPARATION_PENDING'],
    notifies: ['workspace-ready'],
    done: (s) => hasBeenIn(s, 'WORKSPACE_SETUP_PENDING'),
    act: (api, s) =>
      completeTask(api, 'rita', s.permit.id, FORM_IDS.dataPreparationSignoff, {
        preparationOutcome: 'PREPARED',
        preparationConfirmed: true,
        preparationChecklist: ['PSEUDONYMISED', 'MINIMISED_TO_PERMIT_SCOPE', 'CODEBOOK_PROVIDED', 'QUALITY_CHECKED'],
      }),
  },
  {
    id: 'submit-setup',
    actor: 'alice',
    title: 'Alice installs her tools and submits the workspace for review',
    expect: 'workspace setup review pending',
    readyIn: ['WORKSPACE_SETUP_PENDING'],
    notifies: ['setup-review-requested'],
    done: (s) => timesIn(s, 'WORKSPACE_SETUP_REVIEW_PENDING') >= 1,
    act: (api, s) => api.call('alice', 'POST', `/permits/${s.permit.id}/workspace/submit-for-review`, { note: 'R 4.4 with survival and data.table from the CRAN mirror; a sync client for my notes.' }),
  },
  {
    id: 'rework-setup',
    actor: 'rita',
    title: 'Rita asks for rework: the sync client is an exfiltration channel',
    expect: 'the workspace back with the research team (setup pending again)',
    readyIn: ['WORKSPACE_SETUP_REVIEW_PENDING'],
    notifies: ['setup-rework-requested'],
    done: (s) => decisionsOf(s, 'SETUP', 'REWORK_REQUESTED').length >= 1 && timesIn(s, 'WORKSPACE_SETUP_PENDING') >= 2,
    act: (api, s) =>
      review(api, 'rita', s.permit.id, {
        stage: 'SETUP',
        decision: 'REWORK_REQUESTED',
        comment: 'Please remove the file sync client: it could copy data out once the analysis starts.',
        checklist: ['SOFTWARE_FROM_APPROVED_SOURCES', 'NO_CREDENTIALS_OR_SECRETS'],
      }),
  },
  {
    id: 'resubmit-setup',
    actor: 'alice',
    title: 'Alice removes the sync client and resubmits',
    expect: 'workspace setup review pending again',
    readyIn: ['WORKSPACE_SETUP_PENDING'],
    ready: (s) => decisionsOf(s, 'SETUP', 'REWORK_REQUESTED').length >= 1,
    notifies: ['setup-review-requested'],
    done: (s) => timesIn(s, 'WORKSPACE_SETUP_REVIEW_PENDING') >= 2,
    act: (api, s) => api.call('alice', 'POST', `/permits/${s.permit.id}/workspace/submit-for-review`, { note: 'Sync client removed; notes stay in the workspace.' }),
  },
  {
    id: 'approve-setup',
    actor: 'rita',
    title: 'Rita approves the setup: internet off for good, data mounted read-only at /prepared_data',
    expect: 'analysis active',
    readyIn: ['WORKSPACE_SETUP_REVIEW_PENDING'],
    ready: (s) => timesIn(s, 'WORKSPACE_SETUP_REVIEW_PENDING') >= 2,
    notifies: ['setup-approved'],
    done: (s) => hasBeenIn(s, 'ANALYSIS_ACTIVE'),
    act: (api, s) =>
      review(api, 'rita', s.permit.id, {
        stage: 'SETUP',
        decision: 'APPROVED',
        checklist: ['SOFTWARE_FROM_APPROVED_SOURCES', 'NO_EXFILTRATION_CHANNELS', 'NO_CREDENTIALS_OR_SECRETS', 'NETWORK_CONFIGURATION_VERIFIED', 'RESOURCES_WITHIN_QUOTA'],
      }),
  },
  {
    id: 'draft-output-request',
    actor: 'alice',
    title: 'Alice puts Table 1 and Figure 2 into outputs and drafts an output request',
    expect: 'an output request drafted',
    readyIn: ['ANALYSIS_ACTIVE'],
    done: (s) => demoEgressRequest(s) !== undefined,
    act: (api, s) =>
      putOutputsThen(api, 'alice', s.permit.id, [[TABLE1_PATH, TABLE1_FIRST], [FIGURE2_PATH, figure2Png()]], () => api.call('alice', 'POST', `/permits/${s.permit.id}/egress-requests`, {
        title: 'Table 1 and Figure 2 for the manuscript',
        files: [
          { path: 'tables/table1-baseline.csv', description: 'Baseline characteristics by age band and sex' },
          { path: 'figures/figure2-survival.png', description: 'Kaplan-Meier curves by age band' },
        ],
        disclosureChecks: [
          { path: 'tables/table1-baseline.csv', checks: ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED'] },
          { path: 'figures/figure2-survival.png', checks: ['NO_DOMINANCE'] },
        ],
      }, { idempotencyKey: `demo-output-request-${s.permit.id}` })),
  },
  {
    id: 'submit-output-request',
    actor: 'alice',
    title: "Alice submits the output request; the HDAB's output release policy decides it needs two reviews",
    expect: 'output review pending',
    readyIn: ['ANALYSIS_ACTIVE'],
    ready: (s) => egressStatus(s) === 'DRAFT',
    notifies: ['egress-review-requested'],
    done: (s) => timesIn(s, 'EGRESS_REVIEW_PENDING') >= 1,
    act: (api, s) => api.call('alice', 'POST', `/permits/${s.permit.id}/egress-requests/${egressId(s)}/submit`),
  },
  {
    id: 'rework-output-request',
    actor: 'rita',
    title: 'Rita asks for rework: one cell of Table 1 is below 10',
    expect: 'the output request back with the research team',
    readyIn: ['EGRESS_REVIEW_PENDING'],
    notifies: ['egress-rework-requested'],
    done: (s) => decisionsOf(s, 'EGRESS', 'REWORK_REQUESTED').length >= 1 && timesIn(s, 'ANALYSIS_ACTIVE') >= 2,
    act: (api, s) =>
      review(api, 'rita', s.permit.id, {
        stage: 'EGRESS',
        egressRequestId: egressId(s),
        decision: 'REWORK_REQUESTED',
        comment: 'Table 1: women aged 18-39 in the north region number 7. Merge the age bands below 40 and resubmit.',
      }),
  },
  {
    id: 'resubmit-output-request',
    actor: 'alice',
    title: 'Alice merges the age bands, puts the new Table 1 into outputs and resubmits',
    expect: 'output review pending again',
    readyIn: ['ANALYSIS_ACTIVE'],
    ready: (s) => egressStatus(s) === 'REWORK_REQUESTED',
    notifies: ['egress-review-requested'],
    done: (s) => timesIn(s, 'EGRESS_REVIEW_PENDING') >= 2,
    act: (api, s) => putOutputsThen(api, 'alice', s.permit.id, [[TABLE1_PATH, TABLE1_REWORKED]], () => api.call('alice', 'POST', `/permits/${s.permit.id}/egress-requests/${egressId(s)}/submit`)),
  },
  {
    id: 'approve-output-first',
    actor: 'rita',
    title: 'Rita approves the outputs (first of two reviews)',
    expect: "Rita's approval recorded",
    readyIn: ['EGRESS_REVIEW_PENDING'],
    ready: (s) => timesIn(s, 'EGRESS_REVIEW_PENDING') >= 2,
    done: (s) => decisionsOf(s, 'EGRESS', 'APPROVED', 'rita').length >= 1,
    act: (api, s) =>
      review(api, 'rita', s.permit.id, { stage: 'EGRESS', egressRequestId: egressId(s), decision: 'APPROVED', comment: 'All cells at least 10 after merging.', checklist: [...DISCLOSURE_CHECKS] }),
  },
  {
    id: 'approve-output-second',
    actor: 'victor',
    title: 'Victor (second HDAB reviewer) approves; the outputs are released',
    expect: 'outputs RELEASED and the analysis active again',
    readyIn: ['EGRESS_REVIEW_PENDING'],
    notifies: ['egress-released'],
    done: (s) => egressStatus(s) === 'RELEASED' && timesIn(s, 'ANALYSIS_ACTIVE') >= 3,
    act: (api, s) => review(api, 'victor', s.permit.id, { stage: 'EGRESS', egressRequestId: egressId(s), decision: 'APPROVED', comment: 'Agree: safe to release.', checklist: [...DISCLOSURE_CHECKS] }),
  },
  {
    id: 'close-permit',
    actor: 'alice',
    title: 'Alice downloads the released files and their RO-Crate, then closes the permit: the analysis is finished',
    expect: 'permit closing',
    readyIn: ['ANALYSIS_ACTIVE'],
    ready: (s) => egressStatus(s) === 'RELEASED',
    done: (s) => hasBeenIn(s, 'CLOSING'),
    act: (api, s) => downloadReleaseThen(api, 'alice', s.permit.id, () => api.call('alice', 'POST', `/permits/${s.permit.id}/close`, { reason: 'Analysis complete; manuscript submitted.' })),
  },
  {
    id: 'delete-data',
    actor: 'platform',
    title: 'The platform archives outputs and logs, waits out the grace period and deletes the data',
    expect: 'permit CLOSED with the data deleted',
    readyIn: ['CLOSING', 'DATA_DELETION_PENDING'],
    notifies: ['data-deleted'],
    done: (s) => s.permit.status === 'CLOSED',
  },
];
