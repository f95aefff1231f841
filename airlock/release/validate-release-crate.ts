/**
 * Checks a release crate against what RO-Crate 1.1/1.2 and the Five Safes profile require of it: the JSON-LD
 * context, the metadata descriptor (CreativeWork about "./", conformsTo the RO-Crate spec), the root data entity
 * (Dataset with name, description, datePublished, license, conformsTo the 5s-crate profile), the Five Safes
 * entities (a Project as sourceOrganization, Persons, a CreateAction with agent, instrument, object and result, a
 * DisclosureCheck and a SignOff AssessAction), every released file as a File with sha256 in hasPart, and no
 * reference to an entity the graph does not hold. Returns the problems in words (empty: valid).
 */
const SPECS = ['https://w3id.org/ro/crate/1.1', 'https://w3id.org/ro/crate/1.2'];

type Entity = Record<string, unknown> & { '@id': string };

const ids = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => (typeof v === 'object' && v !== null && typeof (v as { '@id'?: unknown })['@id'] === 'string' ? [(v as { '@id': string })['@id']] : []));
const types = (entity: Entity | undefined): string[] => (entity ? ([] as unknown[]).concat(entity['@type']).filter((t): t is string => typeof t === 'string') : []);

export function validateReleaseCrate(crate: unknown, releasedPaths: readonly { path: string; sha256: string }[]): string[] {
  const problems: string[] = [];
  const doc = crate as { '@context'?: unknown; '@graph'?: unknown };
  const contexts = ([] as unknown[]).concat(doc['@context'] ?? []);
  if (!contexts.some((c) => typeof c === 'string' && SPECS.some((s) => c === `${s}/context`))) problems.push('@context does not name the RO-Crate 1.1 or 1.2 context');
  if (!Array.isArray(doc['@graph'])) return [...problems, '@graph is not an array (the crate must be flattened JSON-LD)'];
  const graph = doc['@graph'] as Entity[];
  const byId = new Map<string, Entity>();
  for (const e of graph) {
    if (typeof e?.['@id'] !== 'string') problems.push('an entity has no @id');
    else if (byId.has(e['@id'])) problems.push(`@id ${e['@id']} appears twice`);
    else byId.set(e['@id'], e);
    if (types(e).length === 0) problems.push(`entity ${String(e?.['@id'])} has no @type`);
  }
  const descriptor = byId.get('ro-crate-metadata.json');
  if (!descriptor) problems.push('no metadata descriptor ro-crate-metadata.json');
  else {
    if (!types(descriptor).includes('CreativeWork')) problems.push('the metadata descriptor is not a CreativeWork');
    if (!ids(descriptor.about).includes('./')) problems.push('the metadata descriptor is not about "./"');
    if (!ids(descriptor.conformsTo).some((id) => SPECS.includes(id))) problems.push('the metadata descriptor does not conform to RO-Crate 1.1 or 1.2');
  }
  const root = byId.get('./');
  if (!root) return [...problems, 'no root data entity "./"'];
  if (!types(root).includes('Dataset')) problems.push('the root data entity is not a Dataset');
  for (const key of ['name', 'description', 'datePublished']) if (typeof root[key] !== 'string' || (root[key] as string).length === 0) problems.push(`the root data entity has no ${key}`);
  if (typeof root.datePublished === 'string' && Number.isNaN(Date.parse(root.datePublished))) problems.push('datePublished is not an ISO 8601 date');
  if (root.license === undefined) problems.push('the root data entity has no license');
  if (!ids(root.conformsTo).some((id) => id.startsWith('https://w3id.org/5s-crate/'))) problems.push('the root data entity does not conform to the Five Safes RO-Crate profile');
  const project = byId.get(ids(root.sourceOrganization)[0] ?? '');
  if (!types(project).includes('Project')) problems.push('safe project: sourceOrganization is not a Project in the graph');
  if (!graph.some((e) => types(e).includes('Person'))) problems.push('safe people: no Person');
  const mentioned = ids(root.mentions).map((id) => byId.get(id));
  const run = mentioned.find((e) => types(e).includes('CreateAction'));
  if (!run) problems.push('no CreateAction among the root\'s mentions');
  else for (const key of ['agent', 'instrument', 'result']) if (ids(run[key]).length === 0) problems.push(`the CreateAction has no ${key}`);
  const assess = mentioned.filter((e) => types(e).includes('AssessAction'));
  if (!assess.some((e) => ids(e?.additionalType).includes('https://w3id.org/shp#DisclosureCheck'))) problems.push('safe outputs: no DisclosureCheck AssessAction');
  if (!assess.some((e) => ids(e?.additionalType).includes('https://w3id.org/shp#SignOff'))) problems.push('no SignOff AssessAction');
  const parts = new Set(ids(root.hasPart));
  for (const file of releasedPaths) {
    const id = file.path.split('/').map(encodeURIComponent).join('/');
    const entity = byId.get(id);
    if (!parts.has(id)) problems.push(`released file ${file.path} is not in the root's hasPart`);
    if (!types(entity).includes('File')) problems.push(`released file ${file.path} has no File entity`);
    else if (entity?.sha256 !== file.sha256) problems.push(`released file ${file.path}: the crate's sha256 is not the file's`);
  }
  for (const e of graph) {
    for (const [key, value] of Object.entries(e)) {
      if (key === '@id' || key === 'additionalType' || key === 'conformsTo' || key === 'actionStatus') continue;
      for (const id of ids(value)) if (!byId.has(id)) problems.push(`${e['@id']}.${key} refers to ${id}, which the graph does not hold`);
    }
  }
  return problems;
}
