/**
 * Every release is a Five Safes RO-Crate (https://w3id.org/5s-crate/0.4, on RO-Crate 1.1): `ro-crate-metadata.json`
 * beside the released files, with `manifest-sha256.txt` (BagIt manifest form: `<sha256>  <path>`) and
 * `disclosure-checks.json` (the automated checks' result per file, ACRO-shaped). Pure: the same description gives
 * the same bytes, so a repeated release job writes the same crate.
 *
 * The Five Safes, as the crate says them:
 * - safe project: the root's `sourceOrganization`, a Project (the permit: title, purpose, validity);
 * - safe people: Persons (the research team, members of the Project; the reviewers as agents of their reviews);
 * - safe data: the deliveries, Datasets that are the `object` of the analysis (a CreateAction);
 * - safe setting: the workspace, the analysis' `instrument`;
 * - safe outputs: Files with sha256, size and media type, the analysis' `result`; one AssessAction
 *   (additionalType shp:DisclosureCheck) for the automated checks, whose `result` is disclosure-checks.json, and
 *   one per reviewer's decision with its time; the release itself is the sign-off (shp:SignOff).
 */
import { createHash } from 'node:crypto';
import type { ReleaseDescription, ReleasedFile } from './release-description.js';

export const RO_CRATE_CONTEXT = 'https://w3id.org/ro/crate/1.1/context';
export const RO_CRATE_SPEC = 'https://w3id.org/ro/crate/1.1';
export const FIVE_SAFES_PROFILE = 'https://w3id.org/5s-crate/0.4';
export const CRATE_FILE = 'ro-crate-metadata.json';
export const MANIFEST_FILE = 'manifest-sha256.txt';
export const CHECKS_FILE = 'disclosure-checks.json';
/** Names the release writes itself; an output file cannot take them. */
export const RELEASE_METADATA_FILES: readonly string[] = [CRATE_FILE, MANIFEST_FILE, CHECKS_FILE];

const SHP = 'https://w3id.org/shp#';
const COMPLETED = 'http://schema.org/CompletedActionStatus';
const FAILED = 'http://schema.org/FailedActionStatus';

type Entity = Record<string, unknown> & { '@id': string };
const ref = (id: string): { '@id': string } => ({ '@id': id });
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A path as a relative URI reference: each segment percent-encoded. */
export function fileId(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export interface ReleaseCrate {
  crate: { '@context': unknown[]; '@graph': Entity[] };
  /** The three metadata files, by name, as bytes to write beside the released files. */
  files: Record<string, Buffer>;
}

export function buildReleaseCrate(release: ReleaseDescription): ReleaseCrate {
  const files = [...release.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const checks = Buffer.from(`${JSON.stringify({ schema: 'spe-disclosure-checks/1', outputRequestId: release.request.id, results: Object.fromEntries(files.map((f) => [f.path, f.check ?? null])) }, null, 2)}\n`);
  const manifest = Buffer.from([...files.map((f) => `${f.sha256}  ${f.path}`), `${sha256(checks)}  ${CHECKS_FILE}`, ''].join('\n'));

  const base = release.baseUrl.replace(/\/+$/, '');
  const projectId = `${base}/permits/${encodeURIComponent(release.permit.id)}`;
  const person = (userId: string): string => `#person-${encodeURIComponent(userId)}`;
  const people = new Map<string, Entity>();
  for (const member of release.team) {
    people.set(member.userId, { '@id': person(member.userId), '@type': 'Person', name: member.name ?? member.userId, identifier: member.userId, description: teamRoleWords(member.teamRole), memberOf: ref(projectId) });
  }
  for (const review of release.reviews) {
    if (!people.has(review.reviewer)) people.set(review.reviewer, { '@id': person(review.reviewer), '@type': 'Person', name: review.reviewerName ?? review.reviewer, identifier: review.reviewer, description: 'Output checker (HDAB)' });
  }
  const researchers = release.team.filter((m) => m.teamRole === 'RESEARCH_TEAM').map((m) => ref(person(m.userId)));
  const fileRefs = files.map((f) => ref(fileId(f.path)));
  const statuses = countStatuses(files);
  const checkedAt = files.map((f) => f.check?.checkedAt).filter((t): t is string => typeof t === 'string').sort().at(-1);

  const graph: Entity[] = [
    { '@id': CRATE_FILE, '@type': 'CreativeWork', conformsTo: ref(RO_CRATE_SPEC), about: ref('./') },
    {
      '@id': './',
      '@type': 'Dataset',
      name: `Release of output request "${release.request.title}"`,
      description: `Outputs released from permit "${release.permit.title}" (${release.permit.id}), output request ${release.request.id}, after output checking.`,
      datePublished: release.releasedAt,
      license: ref('#release-terms'),
      conformsTo: [ref(FIVE_SAFES_PROFILE)],
      sourceOrganization: ref(projectId),
      hasPart: [...fileRefs, ref(CHECKS_FILE), ref(MANIFEST_FILE)],
      mentions: [ref('#analysis'), ref('#disclosure-checks'), ...release.reviews.map((_, i) => ref(`#review-${i + 1}`)), ref('#sign-off')],
    },
    { '@id': '#release-terms', '@type': 'CreativeWork', name: 'Terms of the data permit', description: `Released outputs may be used only under the terms of permit ${release.permit.id}.` },
    {
      '@id': projectId,
      '@type': 'Project',
      name: release.permit.title,
      description: release.permit.purpose,
      identifier: release.permit.id,
      ...(release.permit.validUntil ? { endDate: release.permit.validUntil } : {}),
      member: [...people.values()].filter((p) => p.memberOf).map((p) => ref(p['@id'])),
    },
    ...people.values(),
    ...release.deliveries.map((d): Entity => ({
      '@id': `#delivery-${encodeURIComponent(d.id)}`,
      '@type': 'Dataset',
      name: `Data delivery ${d.id}`,
      identifier: d.id,
      ...(d.description ? { description: d.description } : {}),
      ...(d.receivedAt ? { dateCreated: d.receivedAt } : {}),
      ...(d.files !== undefined ? { size: `${d.files} files` } : {}),
    })),
    { '@id': '#workspace', '@type': 'SoftwareApplication', name: release.workspace.name, description: release.workspace.description },
    { '@id': '#platform', '@type': 'SoftwareApplication', name: release.platform.name, version: release.platform.version },
    {
      '@id': '#analysis',
      '@type': 'CreateAction',
      name: `Analysis in ${release.workspace.name} under permit ${release.permit.id}`,
      agent: researchers.length > 0 ? researchers : release.request.submittedBy ? [ref(person(release.request.submittedBy))] : [],
      instrument: ref('#workspace'),
      object: release.deliveries.map((d) => ref(`#delivery-${encodeURIComponent(d.id)}`)),
      result: fileRefs,
      endTime: release.request.createdAt,
      actionStatus: ref(COMPLETED),
    },
    ...files.map((f) => fileEntity(f)),
    { '@id': CHECKS_FILE, '@type': 'File', name: 'Automated disclosure check results', encodingFormat: 'application/json', contentSize: String(checks.length), sha256: sha256(checks) },
    { '@id': MANIFEST_FILE, '@type': 'File', name: 'SHA-256 manifest of the released files (BagIt form)', encodingFormat: 'text/plain', contentSize: String(manifest.length), sha256: sha256(manifest) },
    {
      '@id': '#disclosure-checks',
      '@type': 'AssessAction',
      additionalType: ref(`${SHP}DisclosureCheck`),
      name: `Automated disclosure checks: ${statuses}`,
      agent: ref('#platform'),
      object: fileRefs,
      result: ref(CHECKS_FILE),
      actionStatus: ref(COMPLETED),
      ...(checkedAt ? { endTime: checkedAt } : {}),
    },
    ...release.reviews.map((review, i): Entity => ({
      '@id': `#review-${i + 1}`,
      '@type': 'AssessAction',
      additionalType: ref(`${SHP}DisclosureCheck`),
      name: `Output check by ${review.reviewerName ?? review.reviewer}: ${review.decision}`,
      agent: ref(person(review.reviewer)),
      object: fileRefs,
      endTime: review.decidedAt,
      actionStatus: ref(review.decision === 'APPROVED' ? COMPLETED : FAILED),
      ...(review.comment ? { description: review.comment } : {}),
      ...(review.checks && review.checks.length > 0 ? { additionalProperty: review.checks.map((c) => ({ '@type': 'PropertyValue', name: 'confirmed check', value: c })) } : {}),
    })),
    { '@id': '#sign-off', '@type': 'AssessAction', additionalType: ref(`${SHP}SignOff`), name: 'Release approved: the files were copied to the released zone', agent: ref('#platform'), object: ref('./'), endTime: release.releasedAt, actionStatus: ref(COMPLETED) },
  ];
  const crate = { '@context': [RO_CRATE_CONTEXT, { sha256: 'https://w3id.org/ro/terms/workflow-run#sha256' }], '@graph': graph };
  return { crate, files: { [CHECKS_FILE]: checks, [MANIFEST_FILE]: manifest, [CRATE_FILE]: Buffer.from(`${JSON.stringify(crate, null, 2)}\n`) } };
}

function fileEntity(file: ReleasedFile): Entity {
  return {
    '@id': fileId(file.path),
    '@type': 'File',
    name: file.path.split('/').at(-1),
    encodingFormat: file.mediaType,
    contentSize: String(file.sizeBytes),
    sha256: file.sha256,
    ...(file.description ? { description: file.description } : {}),
    ...(file.check ? { disambiguatingDescription: `Disclosure checks: ${file.check.summary}` } : { disambiguatingDescription: 'Disclosure checks: not run on this file' }),
  };
}

function countStatuses(files: readonly ReleasedFile[]): string {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.check?.status ?? 'not checked', (counts.get(f.check?.status ?? 'not checked') ?? 0) + 1);
  return [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(', ');
}

function teamRoleWords(role: string): string {
  return role === 'RESEARCH_TEAM' ? 'Research team member' : role === 'HDAB_TEAM' ? 'HDAB team member' : role === 'DATA_HOLDER' ? 'Data holder' : role;
}
