/** The manifests driver on a real folder: one YAML file per object, idempotent writes, removal deletes files. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_RENDER_OPTIONS } from '../render/render-options.js';
import { renderWorkspaceObjects } from '../render/render-workspace.js';
import { provision } from '../state/state-changes.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';
import { createManifestsDriver } from './manifests-driver.js';
import { refOf } from './workspace-driver.js';

describe('manifests driver', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spe-manifests-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const context = { permitId: 'permit-42', phase: 'setup' as const };
  const objects = () => renderWorkspaceObjects('permit-42', Object.values(provision({}, 'setup', 'pod', 'permit-42')) as WorkspaceDesiredState[], DEFAULT_RENDER_OPTIONS);

  it('writes exactly the objects it applies, one YAML file each, into a folder per permit', async () => {
    const driver = createManifestsDriver({ dir });
    const applied = await driver.apply(objects(), context);
    expect(applied.map((a) => a.changed)).toEqual(objects().map(() => true));
    const files = (await readdir(join(dir, 'permit-42'))).sort();
    expect(files).toEqual([
      'configmap-workspace-access.yaml',
      'namespace-spe-permit-permit-42.yaml',
      'networkpolicy-default-deny.yaml',
      'networkpolicy-workspace-access.yaml',
      'networkpolicy-workspace-egress-proxy.yaml',
      'persistentvolumeclaim-workspace-disk.yaml',
      'pod-workspace.yaml',
      'resourcequota-workspace-quota.yaml',
    ]);
    const pod = parse(await readFile(join(dir, 'permit-42', 'pod-workspace.yaml'), 'utf8')) as unknown;
    expect(pod).toEqual(objects().find((o) => o.kind === 'Pod'));
  });

  it('changes nothing when the same objects are applied again', async () => {
    const driver = createManifestsDriver({ dir });
    await driver.apply(objects(), context);
    const again = await driver.apply(objects(), context);
    expect(again.every((a) => a.changed === false)).toBe(true);
  });

  it('reads back what exists, with or without a context', async () => {
    const driver = createManifestsDriver({ dir });
    await driver.apply(objects(), context);
    const refs = [...objects().map(refOf), { apiVersion: 'v1', kind: 'Pod', name: 'ghost', namespace: 'spe-permit-permit-42' }];
    const withContext = await driver.read(refs, context);
    const withoutContext = await driver.read(refs);
    expect(withContext.map((o) => o.exists)).toEqual([...objects().map(() => true), false]);
    expect(withoutContext.map((o) => o.exists)).toEqual(withContext.map((o) => o.exists));
    expect(withContext[0]?.object).toEqual(objects()[0]);
  });

  it('deletes files on removal (already gone counts as removed) and the folder with the namespace', async () => {
    const driver = createManifestsDriver({ dir });
    await driver.apply(objects(), context);
    const pod = objects().find((o) => o.kind === 'Pod')!;
    expect(await driver.remove([refOf(pod)], context)).toEqual([{ ...refOf(pod), existed: true }]);
    expect(await driver.remove([refOf(pod)], context)).toEqual([{ ...refOf(pod), existed: false }]);
    expect(await readdir(join(dir, 'permit-42'))).not.toContain('pod-workspace.yaml');
    const namespace = objects()[0]!;
    expect(await driver.remove([refOf(namespace)], context)).toEqual([{ ...refOf(namespace), existed: true }]);
    expect(await readdir(dir)).toEqual([]);
  });
});
