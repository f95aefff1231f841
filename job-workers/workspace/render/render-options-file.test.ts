import { describe, expect, it } from 'vitest';
import { parseRenderOptions, RenderOptionsFileError } from './render-options-file.js';
import { renderOptions } from './render-options.js';
import { mountData, promoteToAnalysis, provision, start } from '../state/state-changes.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';
import { renderWorkspaceObjects } from './render-workspace.js';

const FILE = 'cluster.yaml';

function problemsOf(text: string): readonly string[] {
  try {
    parseRenderOptions(text, FILE);
  } catch (error) {
    if (error instanceof RenderOptionsFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('WORKSPACE_RENDER_OPTIONS file', () => {
  it('lays a YAML file over the defaults, group by group', () => {
    const overrides = parseRenderOptions(
      ['images:', '  workspace: registry.hdab.example/spe/workspace:2.1.0', 'storage:', '  storageClassName: ceph-rbd', '  sizes: { raw: 2Ti }', 'archiveRetentionDays: 400'].join('\n'),
      FILE,
    );
    const options = renderOptions(overrides);
    expect(options.images.workspace).toBe('registry.hdab.example/spe/workspace:2.1.0');
    expect(options.images.copier).toBe(renderOptions().images.copier);
    expect(options.storage).toMatchObject({ storageClassName: 'ceph-rbd', sizes: { raw: '2Ti', prepared: '100Gi' } });
    expect(options.archiveRetentionDays).toBe(400);
  });

  it('takes JSON and an empty file (the defaults)', () => {
    expect(renderOptions(parseRenderOptions('{"runtime":"kubevirt"}', FILE)).runtime).toBe('kubevirt');
    expect(renderOptions(parseRenderOptions('', FILE))).toEqual(renderOptions());
  });

  it('turns the zone copies on, and the rendered objects carry them', () => {
    const overrides = parseRenderOptions(
      JSON.stringify({
        zoneCopy: {
          image: 'registry.hdab.example/spe/copier:1',
          store: { kind: 's3', endpoint: 'https://s3.hdab.example', bucket: 'spe-airlock', keyPrefix: 'spe/', region: 'eu-west-1', forcePathStyle: true, credentialsSecret: 'airlock-s3', egress: { cidrs: ['10.20.0.0/24'], port: 443 } },
          platform: { namespaceLabels: { 'spe.example.org/role': 'platform' }, podLabels: { app: 'spe' }, url: 'https://spe.hdab.example', port: 443, tokenSecret: 'outputs-sync-token' },
          syncIntervalSeconds: 60,
        },
      }),
      FILE,
    );
    expect(renderOptions(overrides).zoneCopy?.store).toMatchObject({ kind: 's3', egress: { cidrs: ['10.20.0.0/24'], port: 443 } });
    // The analysis workspace with /prepared mounted, rendered with the file's options, has the copy Job in.
    const setup = provision({}, 'setup', 'pod', 'permit-9');
    let states = promoteToAnalysis(setup, setup.setup!);
    states = mountData(states, states.analysis!, 'prepared', true, 'permit-9');
    states = start(states, states.analysis!);
    const objects = renderWorkspaceObjects('permit-9', Object.values(states) as WorkspaceDesiredState[], renderOptions(overrides));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['Job/zone-in-prepared', 'NetworkPolicy/zone-copy-egress']));
    expect(renderWorkspaceObjects('permit-9', Object.values(states) as WorkspaceDesiredState[], renderOptions()).some((o) => o.kind === 'Job' && o.metadata.name === 'zone-in-prepared')).toBe(false);
  });

  it('refuses unknown or misspelt keys, wrong types and unsafe network values, naming each path', () => {
    expect(problemsOf('imagez: {}')).toEqual([expect.stringMatching(/^\(the file\): .*imagez/)]);
    expect(problemsOf('proxy: { port: 99999 }')).toEqual([expect.stringMatching(/^proxy\.port: /)]);
    expect(problemsOf('dns: { podLabels: { k8s-app: 1 } }')).toEqual([expect.stringMatching(/^dns\.podLabels\.k8s-app: /)]);
    expect(problemsOf('storage: { accessModes: [ReadWriteSometimes] }')).toEqual([expect.stringMatching(/^storage\.accessModes\.0: /)]);
    const zone = (egress: string) =>
      `zoneCopy: { image: c, syncIntervalSeconds: 60, platform: { namespaceLabels: {}, podLabels: {}, url: 'https://p', port: 443, tokenSecret: t }, store: { kind: s3, endpoint: 'https://s3', bucket: b, keyPrefix: '', region: r, forcePathStyle: true, credentialsSecret: s, egress: ${egress} } }`;
    expect(problemsOf(zone('{ cidrs: [], port: 443 }'))).toEqual([expect.stringMatching(/^zoneCopy\.store\.egress\.cidrs: /)]);
    expect(problemsOf(zone("{ cidrs: ['10.0.0.0/33'], port: 443 }"))).toEqual([expect.stringMatching(/^zoneCopy\.store\.egress\.cidrs\.0: /)]);
  });

  it('refuses text that is not YAML, and a list where the options belong', () => {
    expect(problemsOf('images: [unclosed')).toEqual([expect.stringMatching(/^not YAML or JSON: /)]);
    expect(problemsOf('- a\n- b')).toEqual([expect.stringMatching(/^\(the file\): /)]);
  });
});
