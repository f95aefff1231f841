import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../disclosure/check-file.js';
import { PASSING_TABLE } from '../disclosure/disclosure-fixtures.js';
import { buildReleaseCrate, CHECKS_FILE, CRATE_FILE, MANIFEST_FILE } from './build-release-crate.js';
import type { ReleaseDescription } from './release-description.js';
import { validateReleaseCrate } from './validate-release-crate.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const PNG = 'not really a png';

async function description(): Promise<ReleaseDescription> {
  const check = await checkFile(Readable.from([PASSING_TABLE]), { path: 'tables/admissions by region.csv', sha256: sha(PASSING_TABLE), now: () => new Date('2026-12-06T10:00:00Z') });
  return {
    baseUrl: 'https://spe.example.org/',
    platform: { name: 'SPE platform', version: '0.1.0' },
    permit: { id: 'p-1', title: 'Diabetes outcomes', purpose: 'Cohort study of outcomes', validUntil: '2027-12-31T00:00:00.000Z' },
    request: { id: 'r-1', title: 'Table 1 and figure', submittedBy: 'alice', createdAt: '2026-12-06T09:00:00.000Z' },
    team: [
      { userId: 'alice', name: 'Alice Okafor', teamRole: 'RESEARCH_TEAM' },
      { userId: 'bob', teamRole: 'RESEARCH_TEAM' },
    ],
    deliveries: [{ id: 'd-1', description: 'Hospital episodes 2020–2024', receivedAt: '2026-11-01T00:00:00.000Z', files: 3 }],
    workspace: { name: 'Workspace of permit p-1', description: 'Kubernetes workspace without internet' },
    files: [
      { path: 'tables/admissions by region.csv', sha256: sha(PASSING_TABLE), sizeBytes: PASSING_TABLE.length, mediaType: 'text/csv', description: 'Counts', check },
      { path: 'figures/km.png', sha256: sha(PNG), sizeBytes: PNG.length, mediaType: 'image/png' },
    ],
    reviews: [
      { reviewer: 'rita', reviewerName: 'Rita', decision: 'APPROVED', checks: ['MIN_CELL_COUNT_10'], decidedAt: '2026-12-06T11:00:00.000Z' },
      { reviewer: 'victor', decision: 'APPROVED', decidedAt: '2026-12-06T11:05:00.000Z' },
    ],
    releasedAt: '2026-12-06T11:05:01.000Z',
  };
}

describe('the release RO-Crate', () => {
  it('is valid RO-Crate 1.1 JSON-LD in the Five Safes profile and lists every released file with its sha256', async () => {
    const release = await description();
    const { crate, files } = buildReleaseCrate(release);
    expect(validateReleaseCrate(JSON.parse(files[CRATE_FILE]!.toString()), release.files)).toEqual([]);
    const graph = crate['@graph'];
    const byId = new Map(graph.map((e) => [e['@id'], e]));
    expect(byId.get('./')).toMatchObject({ '@type': 'Dataset', conformsTo: [{ '@id': 'https://w3id.org/5s-crate/0.4' }], sourceOrganization: { '@id': 'https://spe.example.org/permits/p-1' } });
    expect(byId.get('https://spe.example.org/permits/p-1')).toMatchObject({ '@type': 'Project', name: 'Diabetes outcomes', description: 'Cohort study of outcomes' });
    expect(byId.get('tables/admissions%20by%20region.csv')).toMatchObject({ '@type': 'File', sha256: sha(PASSING_TABLE), contentSize: String(PASSING_TABLE.length) });
    expect(byId.get('#review-1')).toMatchObject({ '@type': 'AssessAction', agent: { '@id': '#person-rita' }, endTime: '2026-12-06T11:00:00.000Z' });
    expect(byId.get('#analysis')).toMatchObject({ object: [{ '@id': '#delivery-d-1' }], instrument: { '@id': '#workspace' } });
  });

  it('writes a BagIt-style manifest of the files and the checks, and the ACRO-shaped results per file', async () => {
    const { files } = buildReleaseCrate(await description());
    expect(files[MANIFEST_FILE]!.toString().split('\n')).toEqual([
      `${sha(PNG)}  figures/km.png`,
      `${sha(PASSING_TABLE)}  tables/admissions by region.csv`,
      `${createHash('sha256').update(files[CHECKS_FILE]!).digest('hex')}  ${CHECKS_FILE}`,
      '',
    ]);
    const checks = JSON.parse(files[CHECKS_FILE]!.toString());
    expect(checks.results['tables/admissions by region.csv']).toMatchObject({ status: 'pass', type: 'table' });
    expect(checks.results['figures/km.png']).toBeNull();
  });

  it('gives the same bytes for the same release (a repeated job writes the same crate)', async () => {
    const release = await description();
    expect(buildReleaseCrate(release).files[CRATE_FILE]!.equals(buildReleaseCrate(release).files[CRATE_FILE]!)).toBe(true);
  });

  it('the validator names what is missing', async () => {
    const release = await description();
    const { crate } = buildReleaseCrate(release);
    const broken = { ...crate, '@graph': crate['@graph'].filter((e) => e['@id'] !== 'figures/km.png' && e['@id'] !== '#sign-off') };
    expect(validateReleaseCrate(broken, release.files)).toEqual(
      expect.arrayContaining(['no SignOff AssessAction', 'released file figures/km.png has no File entity', './.hasPart refers to figures/km.png, which the graph does not hold']),
    );
    expect(validateReleaseCrate({ '@graph': [] }, [])).toEqual(['@context does not name the RO-Crate 1.1 or 1.2 context', 'no metadata descriptor ro-crate-metadata.json', 'no root data entity "./"']);
  });
});
