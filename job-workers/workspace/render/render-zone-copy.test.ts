import { describe, expect, it } from 'vitest';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPod } from 'kubernetes-models/v1';
import type { KubeObject } from '../drivers/workspace-driver.js';
import { mountData, promoteToAnalysis, provision, start, suspend, teardown, type WorkspaceStates } from '../state/state-changes.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';
import { LABELS } from './names.js';
import { renderOptions, type ZoneCopyOptions } from './render-options.js';
import { possibleRefs, renderWorkspaceObjects } from './render-workspace.js';
import { InvalidObjectError } from './validate-objects.js';

const PERMIT = 'permit-42';
const S3: ZoneCopyOptions = {
  image: 'registry.example.org/spe/zone-copier:1.0.0',
  store: {
    kind: 's3',
    endpoint: 'https://s3.example.org',
    bucket: 'spe-airlock',
    keyPrefix: 'spe/',
    region: 'eu-west-1',
    forcePathStyle: true,
    credentialsSecret: 'airlock-store-reader',
    egress: { cidrs: ['10.20.0.0/24'], port: 443 },
  },
  platform: { url: 'http://permit-manager.spe-system.svc:3000/', namespaceLabels: { 'spe.example.org/role': 'platform' }, podLabels: { 'app.kubernetes.io/name': 'permit-manager' }, port: 3000, tokenSecret: 'outputs-sync-token' },
  syncIntervalSeconds: 60,
};
const FILESYSTEM: ZoneCopyOptions = { ...S3, store: { kind: 'filesystem', nfs: { server: 'nfs.example.org', path: '/srv/spe-airlock/' } } };

const render = (states: WorkspaceStates, zoneCopy?: ZoneCopyOptions) => renderWorkspaceObjects(PERMIT, Object.values(states) as WorkspaceDesiredState[], renderOptions(zoneCopy ? { zoneCopy } : {}));
const jobs = (objects: KubeObject[]) => objects.filter((o) => o.kind === 'Job') as unknown as IJob[];
const job = (objects: KubeObject[], name: string) => jobs(objects).find((j) => j.metadata?.name === name);
const policy = (objects: KubeObject[], name: string) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as unknown as INetworkPolicy | undefined;
const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

function analysisStates(): WorkspaceStates {
  const setup = provision({}, 'setup', 'pod', PERMIT);
  let states = promoteToAnalysis(setup, setup.setup!);
  states = mountData(states, states.analysis!, 'prepared', true, PERMIT);
  states = mountData(states, states.analysis!, 'outputs', false, PERMIT);
  return start(states, states.analysis!);
}

function preprocessingStates(): WorkspaceStates {
  const states = provision({}, 'preprocessing', 'pod', PERMIT);
  return mountData(states, states.preprocessing!, 'raw', true, PERMIT);
}

describe('airlock zones in the workspace (zone copy Jobs)', () => {
  it('renders no copy Job and no copier policy without zoneCopy options (the embedded default)', () => {
    const objects = render(analysisStates());
    expect(jobs(objects)).toEqual([]);
    expect(policy(objects, 'zone-copy-egress')).toBeUndefined();
  });

  it('copies the prepared zone from s3 into the claim the workspace mounts read-only, credentials from a Secret', () => {
    const objects = render(analysisStates(), S3);
    expect(names(objects).filter((n) => n.startsWith('Job/'))).toEqual(['Job/zone-in-prepared', 'Job/outputs-sync']);
    const spec = job(objects, 'zone-in-prepared')!.spec!.template.spec!;
    const copier = spec.containers[0]!;
    expect(copier.image).toBe(S3.image);
    expect(copier.command?.at(-1)).toBe(':s3:spe-airlock/spe/permit-42/prepared');
    expect(copier.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data', readOnly: false });
    expect(spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'prepared', readOnly: false } });
    const env = Object.fromEntries((copier.env ?? []).map((e) => [e.name, e]));
    expect(env.RCLONE_S3_ACCESS_KEY_ID?.valueFrom).toEqual({ secretKeyRef: { name: 'airlock-store-reader', key: 'access-key-id' } });
    expect(env.RCLONE_S3_SECRET_ACCESS_KEY?.valueFrom).toEqual({ secretKeyRef: { name: 'airlock-store-reader', key: 'secret-access-key' } });
    expect(env.RCLONE_S3_ENDPOINT?.value).toBe('https://s3.example.org');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(copier.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // The workspace itself still sees the claim read-only, on the mount and on the claim.
    const workspace = objects.find((o) => o.kind === 'Pod') as unknown as IPod;
    expect(workspace.spec!.containers[0]!.volumeMounts).toContainEqual({ name: 'prepared', mountPath: '/prepared_data', readOnly: true });
    expect(workspace.spec!.volumes).toContainEqual({ name: 'prepared', persistentVolumeClaim: { claimName: 'prepared', readOnly: true } });
  });

  it('holds the workspace pod until the copied zones are complete (init container, read-only mounts), only with zone copies', () => {
    const workspace = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Pod') as unknown as IPod;
    const [wait, ...more] = workspace(render(analysisStates(), S3)).spec!.initContainers ?? [];
    expect(more).toEqual([]);
    expect(wait?.command?.slice(3)).toEqual(['wait-for-zones', '/prepared_data']);
    expect(wait?.command?.[2]).toContain('.spe-zone-complete');
    expect(wait?.volumeMounts).toEqual([{ name: 'prepared', mountPath: '/prepared_data', readOnly: true }]);
    expect(wait?.resources?.limits).toBeDefined();
    expect(workspace(render(preprocessingStates(), FILESYSTEM)).spec!.initContainers?.[0]?.command?.slice(3)).toEqual(['wait-for-zones', '/raw']);
    expect(workspace(render(analysisStates())).spec!.initContainers).toBeUndefined();
  });

  it('takes /outputs, mounted read-only, into the outputs zone through the platform API, beside the workspace', () => {
    const spec = job(render(analysisStates(), S3), 'outputs-sync')!.spec!.template.spec!;
    const sync = spec.containers[0]!;
    expect(sync.command?.slice(-2)).toEqual(['http://permit-manager.spe-system.svc:3000/api/permits/permit-42/outputs', '60']);
    expect(sync.volumeMounts).toContainEqual({ name: 'outputs', mountPath: '/outputs', readOnly: true });
    expect(spec.volumes).toContainEqual({ name: 'outputs', persistentVolumeClaim: { claimName: 'outputs', readOnly: true } });
    expect(sync.env).toEqual([{ name: 'SPE_OUTPUTS_TOKEN', valueFrom: { secretKeyRef: { name: 'outputs-sync-token', key: 'token' } } }]);
    expect(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]).toEqual({
      labelSelector: { matchLabels: { [LABELS.component]: 'workspace' } },
      topologyKey: 'kubernetes.io/hostname',
    });
    // The sync never writes to the claim it reads: no writable mount but its own /tmp.
    expect(sync.volumeMounts!.filter((m) => !m.readOnly).map((m) => m.mountPath)).toEqual(['/tmp']);
  });

  it('keeps zero egress for the workspace; only copier pods reach DNS, the store CIDR on 443 and the platform port', () => {
    const objects = render(analysisStates(), S3);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
    const withEgress = policies.filter((p) => (p.spec?.egress ?? []).length > 0);
    expect(withEgress.map((p) => p.metadata?.name)).toEqual(['zone-copy-egress']);
    const copy = withEgress[0]!;
    expect(copy.spec?.podSelector).toEqual({ matchLabels: { [LABELS.component]: 'zone-copy' } });
    expect(copy.spec?.egress).toEqual([
      { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'spe.example.org/role': 'platform' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'permit-manager' } } }],
        ports: [{ protocol: 'TCP', port: 3000 }],
      },
    ]);
    // The copier pods carry the label the policy selects; the workspace pod does not.
    for (const j of jobs(objects)) expect(j.spec?.template.metadata?.labels?.[LABELS.component]).toBe('zone-copy');
    expect((objects.find((o) => o.kind === 'Pod') as unknown as IPod).metadata?.labels?.[LABELS.component]).toBe('workspace');
  });

  it('reads a filesystem store as a read-only NFS volume of the permit zone and needs no egress for that', () => {
    const objects = render(preprocessingStates(), FILESYSTEM);
    expect(names(objects).filter((n) => n.startsWith('Job/'))).toEqual(['Job/zone-in-raw']);
    const spec = job(objects, 'zone-in-raw')!.spec!.template.spec!;
    expect(spec.volumes).toContainEqual({ name: 'store', nfs: { server: 'nfs.example.org', path: '/srv/spe-airlock/permit-42/raw', readOnly: true } });
    expect(spec.containers[0]!.volumeMounts).toContainEqual({ name: 'store', mountPath: '/store', readOnly: true });
    expect(spec.containers[0]!.command?.at(-1)).toBe('/store');
    expect(spec.containers[0]!.env?.some((e) => e.name.startsWith('RCLONE_S3'))).toBe(false);
    expect(policy(objects, 'zone-copy-egress')).toBeUndefined();
  });

  it('opens only the platform API for a filesystem store in analysis (the outputs sync)', () => {
    const egress = policy(render(analysisStates(), FILESYSTEM), 'zone-copy-egress')?.spec?.egress ?? [];
    expect(egress.flatMap((rule) => rule.to ?? []).some((peer) => peer.ipBlock)).toBe(false);
    expect(egress.flatMap((rule) => rule.ports ?? []).map((p) => p.port)).toEqual([53, 53, 3000]);
  });

  it('stops the outputs sync while suspended, and drops every copy at teardown, listing them for removal', () => {
    expect(names(render(suspend(analysisStates()), S3))).not.toContain('Job/outputs-sync');
    const torn = teardown(analysisStates(), 'analysis');
    expect(jobs(render(torn, S3))).toEqual([]);
    const refs = possibleRefs(PERMIT, Object.values(torn) as WorkspaceDesiredState[]).map((r) => `${r.kind}/${r.name}`);
    expect(refs).toEqual(expect.arrayContaining(['Job/zone-in-prepared', 'Job/outputs-sync', 'NetworkPolicy/zone-copy-egress']));
    // Removal order (the reverse): the copy Jobs go before the claims they mount.
    expect(refs.indexOf('Job/zone-in-prepared')).toBeGreaterThan(refs.indexOf('PersistentVolumeClaim/prepared'));
  });

  it('refuses a store egress that would open more than the store: no CIDR (a rule without peers allows everywhere), a bad CIDR or port', () => {
    const withEgress = (egress: { cidrs: string[]; port: number }): ZoneCopyOptions => ({ ...S3, store: { ...S3.store, egress } as ZoneCopyOptions['store'] });
    expect(() => render(analysisStates(), withEgress({ cidrs: [], port: 443 }))).toThrow(InvalidObjectError);
    expect(() => render(analysisStates(), withEgress({ cidrs: ['s3.example.org'], port: 443 }))).toThrow(/CIDRs/);
    expect(() => render(analysisStates(), withEgress({ cidrs: ['10.20.0.0/24'], port: 70000 }))).toThrow(InvalidObjectError);
    expect(() => render(analysisStates(), withEgress({ cidrs: ['10.20.0.0/24', 'fd00::/64'], port: 9000 }))).not.toThrow();
  });
});
