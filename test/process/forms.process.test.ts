/**
 * Each Camunda Form in `forms/` (one per FORM_IDS entry): well-formed form-js JSON for Camunda 8.8 with unique
 * component ids and keys, an opening text naming the permit, and the fields the diagrams and the REST API rely
 * on — the review keys of REVIEW_VARIABLES with the decisions of STAGE_DECISIONS, and the exception and
 * sign-off keys of docs/processes.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExpression } from 'feelin';
import { describe, expect, it } from 'vitest';
import { ALL_FORM_IDS, DISCLOSURE_CHECKS, FORM_IDS, REVIEW_VARIABLES, STAGE_DECISIONS, TASK_FORM_VARIABLES, type FormId, type ReviewStage } from '../../shared/index.js';

const FORMS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'forms');

interface Component {
  type: string;
  id?: string;
  key?: string;
  path?: string;
  text?: string;
  label?: string;
  readonly?: boolean | string;
  values?: { label: string; value: string }[];
  validate?: { required?: boolean };
  conditional?: { hide?: string };
  components?: Component[];
}
interface Form {
  id: string;
  type: string;
  schemaVersion: number;
  executionPlatform: string;
  executionPlatformVersion: string;
  exporter?: { name: string; version: string };
  components: Component[];
}

function readForm(id: FormId): Form {
  return JSON.parse(readFileSync(join(FORMS_DIR, `${id}.form`), 'utf8')) as Form;
}

/** Every component, depth first. */
function flatten(components: Component[]): Component[] {
  return components.flatMap((c) => [c, ...flatten(c.components ?? [])]);
}

/** The components bound at one data level: keys of a dynamic list's items live in the list's own scope. */
function scopes(components: Component[], name = '(form)'): { name: string; keys: string[] }[] {
  const keys: string[] = [];
  const nested: { name: string; keys: string[] }[] = [];
  const visit = (list: Component[]) => {
    for (const c of list) {
      if (c.key) keys.push(c.key);
      if (c.type === 'dynamiclist') {
        if (c.path) keys.push(c.path);
        nested.push(...scopes(c.components ?? [], c.path ?? c.id ?? 'dynamiclist'));
      } else if (c.components) {
        visit(c.components);
      }
    }
  };
  visit(components);
  return [{ name, keys }, ...nested];
}

const field = (form: Form, key: string) => flatten(form.components).find((c) => c.key === key || c.path === key);
const valuesOf = (c: Component | undefined) => (c?.values ?? []).map((v) => v.value);
const feelProblem = (expression: string) => {
  let broken = false;
  parseExpression(expression, {}, undefined).iterate({ enter: (node) => void (node.type.isError && (broken = true)) });
  return broken;
};

const REVIEW_FORMS: Record<ReviewStage, FormId> = {
  APPLICATION: FORM_IDS.applicationAssessment,
  SETUP: FORM_IDS.setupReview,
  EGRESS: FORM_IDS.egressReview,
  AMENDMENT: FORM_IDS.amendmentAssessment,
};

/** Variables of the non-review forms, as the diagrams' gateways read them. */
const TASK_FORM_FIELDS = {
  [FORM_IDS.ingressException]: TASK_FORM_VARIABLES.ingressException,
  [FORM_IDS.provisioningException]: TASK_FORM_VARIABLES.provisioningException,
} as const;

describe('forms/', () => {
  it('holds exactly one form per FORM_IDS entry', () => {
    const files = existsSync(FORMS_DIR) ? readdirSync(FORMS_DIR).filter((f) => f.endsWith('.form')).sort() : [];
    expect(files).toEqual(ALL_FORM_IDS.map((id) => `${id}.form`).sort());
  });
});

describe.each(ALL_FORM_IDS)('form %s', (id) => {
  const form = readForm(id);
  const all = flatten(form.components);

  it('is a Camunda 8.8 form-js document whose id is its file name', () => {
    expect(form).toMatchObject({ id, type: 'default', executionPlatform: 'Camunda Cloud', executionPlatformVersion: '8.8.0' });
    expect(form.schemaVersion).toBeGreaterThanOrEqual(16);
    expect(form.exporter?.name).toBe('Camunda Modeler');
  });

  it('has unique component ids and unique keys in every data scope', () => {
    const ids = all.map((c) => c.id);
    expect(ids.every((i) => typeof i === 'string' && i.length > 0), 'every component has an id').toBe(true);
    expect(new Set(ids).size, 'component ids are unique').toBe(ids.length);
    for (const scope of scopes(form.components)) {
      expect(new Set(scope.keys).size, `keys in ${scope.name} are unique: ${scope.keys.join(', ')}`).toBe(scope.keys.length);
      for (const key of scope.keys) expect(key, 'keys are plain variable names').toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
  });

  it('opens with a text explaining the decision and naming the permit', () => {
    const first = form.components[0];
    expect(first?.type).toBe('text');
    expect(first?.text).toMatch(/^# \S/);
    expect(first?.text).toContain('{{permitId}}');
  });

  it('has well-formed FEEL in its conditions, and choices with labels', () => {
    const problems: string[] = [];
    for (const c of all) {
      const hide = c.conditional?.hide;
      if (hide !== undefined && (!hide.startsWith('=') || feelProblem(hide.slice(1)))) problems.push(`${c.id}: hide condition "${hide}" is not a FEEL expression`);
      // A hidden field is not validated, so "required unless approved" is "required, hidden when approved".
      if (hide !== undefined && c.validate?.required && !/[A-Za-z]+(Decision|Outcome)/.test(hide)) problems.push(`${c.id}: a required field hidden by something other than a decision`);
      if (['radio', 'checklist', 'select'].includes(c.type)) {
        if (!c.values?.length) problems.push(`${c.id}: a ${c.type} without choices`);
        for (const v of c.values ?? []) if (v.label.trim() === '') problems.push(`${c.id}: choice ${v.value} has no label`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.each(Object.entries(REVIEW_FORMS) as [ReviewStage, FormId][])('review form of stage %s', (stage, id) => {
  const form = readForm(id);
  const names = REVIEW_VARIABLES[stage];

  it('asks for a required decision with exactly the decisions of the stage', () => {
    const decision = field(form, names.decision);
    expect(decision?.type).toBe('radio');
    expect(decision?.validate?.required).toBe(true);
    expect(valuesOf(decision)).toEqual([...STAGE_DECISIONS[stage]]);
  });

  it('requires a comment unless the decision is an approval', () => {
    const comment = field(form, names.comment);
    expect(comment?.type).toBe('textarea');
    expect(comment?.validate?.required).toBe(true);
    expect(comment?.conditional?.hide).toBe(`=${names.decision} = "APPROVED"`);
  });

  it('records a checklist', () => {
    const checklist = field(form, names.checklist);
    expect(checklist?.type).toBe('checklist');
  });
});

describe('form details', () => {
  it('application-assessment confirms validUntil on approval, prefilled from the variable', () => {
    const validUntil = field(readForm(FORM_IDS.applicationAssessment), 'validUntil') as Component & { subtype?: string };
    expect(validUntil?.type).toBe('datetime');
    expect(validUntil?.subtype).toBe('datetime');
    expect(validUntil?.conditional?.hide).toBe(`=${REVIEW_VARIABLES.APPLICATION.decision} != "APPROVED"`);
  });

  it('amendment-assessment decides on the amendment as requested: it shows the requested end date and does not edit it', () => {
    const form = readForm(FORM_IDS.amendmentAssessment);
    expect(field(form, 'validUntil')).toBeUndefined();
    expect(JSON.stringify(form)).toContain('amendment.validUntil');
  });

  it('application-assessment lists the legal basis, minimisation, vetting and ethics checks', () => {
    const checklist = field(readForm(FORM_IDS.applicationAssessment), REVIEW_VARIABLES.APPLICATION.checklist);
    expect(checklist?.values?.map((v) => v.label).join('\n')).toMatch(/Art\. 53[\s\S]*minimisation[\s\S]*vetted[\s\S]*[Ee]thics/);
  });

  it("egress-review shows what the research team declared read-only and takes the reviewer's own checks, all needed to approve", () => {
    const form = readForm(FORM_IDS.egressReview);
    const texts = flatten(form.components).filter((c) => c.type === 'text').map((c) => c.text ?? '').join('\n');
    expect(field(form, 'disclosureChecks'), "no field writes the team's declarations").toBeUndefined();
    expect(texts).toContain('{{#loop disclosureChecks}}');
    expect(texts).toContain('{{#loop egressFiles}}');
    expect(texts, 'the request named by title and submitter (name and user id)').toMatch(/\{\{permitTitle\}\}[\s\S]*\{\{egressTitle\}\}[\s\S]*egressSubmitterName \+ " \(" \+ egressSubmittedBy/);
    expect(texts, 'earlier reviews of the request, read-only').toContain('{{#loop egressReviews}}');
    const checks = field(form, REVIEW_VARIABLES.EGRESS.checklist) as Component & { properties?: Record<string, string> };
    expect(checks).toMatchObject({ type: 'checklist', validate: { required: true }, conditional: { hide: '=egressDecision != "APPROVED"' }, properties: { requiredForApproval: 'true' } });
    expect(valuesOf(checks)).toEqual([...DISCLOSURE_CHECKS]);
  });

  it('amendment-assessment names the permit and who asked, dates and roles in words, and needs the checklist to approve', () => {
    const form = readForm(FORM_IDS.amendmentAssessment);
    const intro = form.components[0]?.text ?? '';
    expect(intro).toMatch(/\{\{permitTitle\}\}[\s\S]*amendmentRequesterName \+ " \(" \+ amendmentRequestedBy/);
    expect(intro, 'the end date as day, month name and year').toContain('month of year(date(substring(amendment.validUntil, 1, 10)))');
    expect(intro, 'no raw ISO date').not.toContain('{{amendment.validUntil}}');
    expect(intro, 'team roles in words').toMatch(/RESEARCH_TEAM: "Researcher/);
    expect(intro, 'no role code printed as is').not.toContain('{{teamRole}}');
    const checklist = field(form, REVIEW_VARIABLES.AMENDMENT.checklist) as Component & { properties?: Record<string, string> };
    expect(checklist).toMatchObject({ validate: { required: true }, conditional: { hide: '=amendmentDecision != "APPROVED"' }, properties: { requiredForApproval: 'true' } });
  });

  it.each(Object.entries(TASK_FORM_FIELDS))('%s asks for a required decision and a required comment', (id, names) => {
    const form = readForm(id as FormId);
    const decision = field(form, names.decision);
    expect(decision).toMatchObject({ type: 'radio', validate: { required: true } });
    expect(valuesOf(decision)).toEqual([...names.decisions]);
    const comment = field(form, names.comment);
    expect(comment).toMatchObject({ type: 'textarea', validate: { required: true } });
    expect(comment?.conditional, 'the comment is always shown').toBeUndefined();
  });

  it('ingress-exception shows ingressCheckFindings only when there are some', () => {
    const findings = flatten(readForm(FORM_IDS.ingressException).components).find((c) => c.type === 'text' && c.text?.includes('ingressCheckFindings'));
    expect(findings?.conditional?.hide).toBe('=ingressCheckFindings = null');
  });

  it('data-preparation-signoff records the checklist and notes and requires the confirmation', () => {
    const form = readForm(FORM_IDS.dataPreparationSignoff);
    expect(valuesOf(field(form, 'preparationChecklist'))).toEqual(['PSEUDONYMISED', 'MINIMISED_TO_PERMIT_SCOPE', 'CODEBOOK_PROVIDED', 'QUALITY_CHECKED']);
    expect(field(form, 'preparationNotes')?.type).toBe('textarea');
    expect(field(form, 'preparationConfirmed')).toMatchObject({ type: 'checkbox', validate: { required: true } });
  });
});
