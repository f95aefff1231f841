import { describe, expect, it } from 'vitest';
import { MappingFileError, parseMapping } from './migration-mapping.js';

const YAML = `
# Permits waiting in setup review move to version 2.
processDefinitionId: spe-environment-setup
sourceVersion: 1
targetVersion: 2
mappingInstructions:
  - sourceElementId: Task_ReviewSetup
    targetElementId: Task_ReviewSetup
  - sourceElementId: Activity_RecordSetupReview
    targetElementId: Activity_RecordSetupReviewDecision
`;

const problemsOf = (text: string, file = 'mapping.yaml'): readonly string[] => {
  try {
    parseMapping(text, file);
  } catch (error) {
    if (error instanceof MappingFileError) return error.problems;
    throw error;
  }
  throw new Error('the mapping was accepted');
};

describe('the migration mapping file', () => {
  it('reads YAML and JSON into the same mapping, in Camunda\'s words', () => {
    const expected = {
      processDefinitionId: 'spe-environment-setup',
      sourceVersion: 1,
      targetVersion: 2,
      mappingInstructions: [
        { sourceElementId: 'Task_ReviewSetup', targetElementId: 'Task_ReviewSetup' },
        { sourceElementId: 'Activity_RecordSetupReview', targetElementId: 'Activity_RecordSetupReviewDecision' },
      ],
    };
    expect(parseMapping(YAML, 'm.yaml')).toEqual(expected);
    expect(parseMapping(JSON.stringify(expected), 'm.json')).toEqual(expected);
  });

  it('lists every problem of a file at once, each naming its field', () => {
    const problems = problemsOf(`
processDefinitionId: ""
sourceVersion: 2
targetVersion: 2
extra: true
mappingInstructions:
  - sourceElementId: Task_A
    targetElementId: Task_B
  - sourceElementId: Task_A
    targetElementId: ""
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unknown field\(s\) extra/),
        expect.stringMatching(/^processDefinitionId: must name the process id/),
        'mappingInstructions[1].targetElementId: must name an element id (not empty)',
        'targetVersion: is the same as sourceVersion (2): nothing to migrate',
        'mappingInstructions[1].sourceElementId: maps Task_A a second time: each source element goes to one target element',
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(problemsOf('processDefinitionId: p\nsourceVersion: 2\ntargetVersion: 2\nmappingInstructions:\n  - {sourceElementId: A, targetElementId: B}\n  - {sourceElementId: A, targetElementId: C}\n')).toEqual([
      'targetVersion: is the same as sourceVersion (2): nothing to migrate',
      'mappingInstructions[1].sourceElementId: maps A a second time: each source element goes to one target element',
    ]);
  });

  it('names missing fields, wrong types and an empty mapping list', () => {
    expect(problemsOf('processDefinitionId: p\nsourceVersion: "1"\nmappingInstructions: []\n')).toEqual([
      'sourceVersion: Invalid input: expected number, received string',
      'targetVersion is missing',
      'mappingInstructions: list at least one mapping from a source element to a target element',
    ]);
  });

  it('says when the file is not YAML or JSON at all', () => {
    expect(problemsOf('{ "processDefinitionId": ', 'mapping.json')[0]).toMatch(/^it is not valid JSON: /);
    expect(problemsOf('a: [1, 2', 'mapping.yml')[0]).toMatch(/^it is not valid YAML: /);
    expect(() => parseMapping('sourceVersion: 1', 'bad.yaml')).toThrow(/^The mapping file bad\.yaml cannot be used:\n {2}- processDefinitionId is missing/);
  });
});
