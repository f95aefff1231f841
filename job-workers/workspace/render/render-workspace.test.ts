import { describe, expect, it } from 'vitest';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPod } from 'kubernetes-models/v1';
import type { KubeObject } from '../drivers/workspace-driver.js';
import { freeze, mountData, promoteToAnalysis, provision, start, suspend, syncAccess, teardown, type WorkspaceStates } from '../state/state-changes.js';
import { initialState, type WorkspaceDesiredState } from '../state/workspace-state.js';
import { LABELS, namespaceName } from './names.js';
import { DEFAULT_RENDER_OPTIONS, renderOptions } from './render-options.js';
import { possibleRefs, renderWorkspaceObjects } from './render-workspace.js';
import { InvalidObjectError, validateObjects } from './validate-objects.js';

const PERMIT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const options = DEFAULT_RENDER_OPTIONS;
const render = (states: WorkspaceStates, opts = options) => renderWorkspaceObjects(PERMIT, Object.values(states) as WorkspaceDesiredState[], opts);
const kinds = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const policies = (objects: KubeObject[]) => objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
const pod = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Pod') as unknown as IPod | undefined;
const DATA_CLAIMS = ['raw', 'prepared', 'outputs'];

function setupStates(): WorkspaceStates {
  return provision({}, 'setup', 'pod', PERMIT);
}

function analysisStates(): WorkspaceStates {
  let states = promoteToAnalysis(setupStates(), setupStates().setup!);
  states = mountData(states, states.analysis!, 'prepared', true, PERMIT);
  states = mountData(states, states.analysis!, 'outputs', false, PERMIT);
  return start(states, states.analysis!);
}

describe('the access list (ConfigMap workspace-access)', () => {
  const TEAM = ['bob', 'alice'];
  const allowedUsers = (states: WorkspaceStates) => {
    const access = render(syncAccess(states, TEAM)).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'workspace-access');
    return access ? (JSON.parse((access.data as Record<string, string>)['allowed-users']!) as string[]) : undefined;
  };

  it('names the research team, sorted, in the setup and the analysis workspace', () => {
    expect(allowedUsers(setupStates())).toEqual(['alice', 'bob']);
    expect(allowedUsers(analysisStates())).toEqual(['alice', 'bob']);
  });

  it('names nobody while frozen or suspended, and is not rendered after a teardown', () => {
    const states = setupStates();
    expect(allowedUsers(freeze(states, states.setup!, 'workspace-disk-review-abc', new Date('2026-01-01T00:00:00Z'), PERMIT))).toEqual([]);
    expect(allowedUsers(suspend(analysisStates()))).toEqual([]);
    expect(allowedUsers(teardown(analysisStates(), 'analysis'))).toBeUndefined();
  });
});

describe('the setup workspace', () => {
  const objects = render(setupStates());

  it('is a namespace per permit with default-deny, a quota, the proxy egress policy, access and the workspace pod', () => {
    expect(kinds(objects)).toEqual([
      `Namespace/spe-permit-${PERMIT}`,
      'ResourceQuota/workspace-quota',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/workspace-access',
      'NetworkPolicy/workspace-egress-proxy',
      'ConfigMap/workspace-access',
      'PersistentVolumeClaim/workspace-disk',
      'Pod/workspace',
    ]);
  });

  it('allows egress only to the egress proxy on 3128 and to DNS on 53 (UDP and TCP)', () => {
    const egressRules = policies(objects).flatMap((p) => p.spec?.egress ?? []);
    expect(egressRules).toHaveLength(2);
    const [proxy, dns] = egressRules;
    expect(proxy?.to).toEqual([{ namespaceSelector: { matchLabels: options.proxy.namespaceLabels }, podSelector: { matchLabels: options.proxy.podLabels } }]);
    expect(proxy?.ports).toEqual([{ protocol: 'TCP', port: 3128 }]);
    // An empty namespace selector (any namespace) is written as {}: the API server drops an empty matchLabels.
    expect(dns?.to).toEqual([{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]);
    expect(dns?.ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    // No rule allows egress anywhere else (every egress rule names peers and ports).
    for (const rule of egressRules) {
      expect(rule.to?.length).toBeGreaterThan(0);
      expect(rule.ports?.length).toBeGreaterThan(0);
    }
  });

  it('denies everything by default, in and out, for every pod of the namespace', () => {
    const deny = policies(objects).find((p) => p.metadata?.name === 'default-deny');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('has no data volumes: no raw, prepared or outputs claim, mount or volume', () => {
    const workspace = pod(objects)!;
    const claims = workspace.spec!.volumes!.flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
    expect(claims).toEqual(['workspace-disk']);
    expect(workspace.spec!.containers[0]!.volumeMounts!.map((m) => m.mountPath)).toEqual(['/workspace', '/tmp']);
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim' && DATA_CLAIMS.includes(o.metadata.name))).toEqual([]);
  });

  it('labels every object with the app.kubernetes.io labels and the permit id, and phase objects with the phase', () => {
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject({
        [LABELS.name]: 'spe-workspace',
        [LABELS.partOf]: 'spe-platform',
        [LABELS.managedBy]: 'spe-workspace-worker',
        [LABELS.permitId]: PERMIT,
      });
      expect(object.metadata.labels?.[LABELS.component]).toBeTruthy();
    }
    expect(pod(objects)?.metadata?.labels?.[LABELS.phase]).toBe('setup');
    expect(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'workspace-egress-proxy')?.metadata.labels?.[LABELS.phase]).toBe('setup');
  });

  it('loses the egress policy and the pod when frozen, and gains a snapshot of the workspace disk', () => {
    const states = setupStates();
    const frozen = render(freeze(states, states.setup!, 'workspace-disk-review-abc', new Date('2026-01-01T00:00:00Z'), PERMIT));
    expect(kinds(frozen)).not.toContain('Pod/workspace');
    expect(kinds(frozen)).not.toContain('NetworkPolicy/workspace-access');
    // Frozen, the internet is still allowed by policy only while the network is on; disable-network takes it away.
    const snapshot = frozen.find((o) => o.kind === 'VolumeSnapshot');
    expect(snapshot).toMatchObject({ apiVersion: 'snapshot.storage.k8s.io/v1', metadata: { name: 'workspace-disk-review-abc' }, spec: { source: { persistentVolumeClaimName: 'workspace-disk' } } });
    expect(frozen.find((o) => o.kind === 'ConfigMap')?.data).toMatchObject({ 'allowed-users': '[]', 'researcher-access': 'false' });
  });
});

describe('the analysis workspace', () => {
  const objects = render(analysisStates());

  it('has zero egress rules in any network policy', () => {
    expect(policies(objects).flatMap((p) => p.spec?.egress ?? [])).toEqual([]);
    expect(policies(objects).filter((p) => p.spec?.policyTypes?.includes('Egress')).map((p) => p.metadata?.name)).toEqual(['default-deny']);
  });

  it('mounts /prepared_data read-only on both the volume mount and the claim', () => {
    const workspace = pod(objects)!;
    const mount = workspace.spec!.containers[0]!.volumeMounts!.find((m) => m.mountPath === '/prepared_data');
    const volume = workspace.spec!.volumes!.find((v) => v.name === mount?.name);
    expect(mount?.readOnly).toBe(true);
    expect(volume?.persistentVolumeClaim).toEqual({ claimName: 'prepared', readOnly: true });
  });

  it('mounts /outputs writable', () => {
    const workspace = pod(objects)!;
    const mount = workspace.spec!.containers[0]!.volumeMounts!.find((m) => m.mountPath === '/outputs');
    expect(mount?.readOnly).toBe(false);
    expect(workspace.spec!.volumes!.find((v) => v.name === mount?.name)?.persistentVolumeClaim).toEqual({ claimName: 'outputs', readOnly: false });
  });

  it('never mounts /raw and carries no proxy settings', () => {
    const workspace = pod(objects)!;
    expect(workspace.spec!.containers[0]!.volumeMounts!.map((m) => m.mountPath)).not.toContain('/raw');
    expect(workspace.spec!.containers[0]!.env).toBeUndefined();
    expect(workspace.metadata?.labels?.[LABELS.phase]).toBe('analysis');
  });

  it('renders a KubeVirt VirtualMachine instead of a pod when asked, with read-only disks and claims for prepared data', () => {
    const vmStates = Object.fromEntries(Object.entries(analysisStates()).map(([phase, state]) => [phase, { ...state, runtime: 'kubevirt' }])) as WorkspaceStates;
    const vmObjects = render(vmStates, renderOptions({ runtime: 'kubevirt' }));
    expect(vmObjects.some((o) => o.kind === 'Pod')).toBe(false);
    const vm = vmObjects.find((o) => o.kind === 'VirtualMachine') as KubeObject & { spec: { running: boolean; template: { spec: { domain: { devices: { disks: { name: string; disk: { readonly?: boolean } }[] } }; volumes: { name: string; persistentVolumeClaim?: unknown }[] } } } };
    expect(vm.apiVersion).toBe('kubevirt.io/v1');
    expect(vm.spec.running).toBe(true);
    expect(vm.spec.template.spec.domain.devices.disks.find((d) => d.name === 'prepared')?.disk.readonly).toBe(true);
    expect(vm.spec.template.spec.volumes.find((v) => v.name === 'prepared')?.persistentVolumeClaim).toEqual({ claimName: 'prepared', readOnly: true });
  });
});

describe('the ingress airlock and the preprocessing workspace', () => {
  it('the airlock receives uploads into a writable /raw from the upload gateway only, with no egress', () => {
    const objects = render(provision({}, 'ingress', 'kubevirt', PERMIT));
    expect(kinds(objects)).toEqual([
      `Namespace/spe-permit-${PERMIT}`,
      'ResourceQuota/workspace-quota',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/ingress-airlock-uploads',
      'PersistentVolumeClaim/raw',
      'Pod/ingress-airlock',
    ]);
    const uploads = policies(objects).find((p) => p.metadata?.name === 'ingress-airlock-uploads');
    expect(uploads?.spec?.policyTypes).toEqual(['Ingress']);
    expect(uploads?.spec?.ingress?.[0]?.from).toEqual([{ namespaceSelector: { matchLabels: options.uploadGateway.namespaceLabels }, podSelector: { matchLabels: options.uploadGateway.podLabels } }]);
    expect(policies(objects).flatMap((p) => p.spec?.egress ?? [])).toEqual([]);
    expect(pod(objects)?.spec?.containers[0]?.volumeMounts?.find((m) => m.mountPath === '/raw')?.readOnly).toBe(false);
  });

  it('preprocessing mounts /raw read-only (mount and claim) and /prepared writable, with no researcher access and no egress', () => {
    const objects = render(provision({}, 'preprocessing', 'pod', PERMIT));
    const workspace = pod(objects)!;
    const mounts = workspace.spec!.containers[0]!.volumeMounts!;
    expect(mounts.find((m) => m.mountPath === '/raw')?.readOnly).toBe(true);
    expect(workspace.spec!.volumes!.find((v) => v.name === 'raw')?.persistentVolumeClaim).toEqual({ claimName: 'raw', readOnly: true });
    expect(mounts.find((m) => m.mountPath === '/prepared')?.readOnly).toBe(false);
    expect(workspace.metadata?.labels?.[LABELS.researcherAccess]).toBe('false');
    const access = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'preprocessing-access');
    expect(access?.data).toEqual({ 'allowed-users': '[]', 'allowed-groups': '["hdab-data-stewards"]', 'researcher-access': 'false' });
    expect(policies(objects).flatMap((p) => p.spec?.egress ?? [])).toEqual([]);
  });
});

describe('every rendered object', () => {
  const torn = { ...initialState('ingress', 'pod'), status: 'torn-down' as const };
  const cases: [string, WorkspaceStates][] = [
    ['ingress', provision({}, 'ingress', 'pod', PERMIT)],
    ['preprocessing', provision({}, 'preprocessing', 'pod', PERMIT)],
    ['setup', setupStates()],
    ['analysis', analysisStates()],
    ['suspended analysis', suspend(analysisStates())],
    ['torn-down ingress', { ingress: torn }],
  ];

  it.each(cases)('is valid against the Kubernetes schemas (%s)', (_name, states) => {
    const objects = render(states);
    expect(objects.length).toBeGreaterThan(0);
    expect(() => validateObjects(objects)).not.toThrow();
    const namespaced = objects.filter((object) => object.kind !== 'Namespace');
    expect(namespaced.map((object) => object.metadata.namespace)).toEqual(namespaced.map(() => namespaceName(PERMIT)));
  });

  it('is refused with a message naming it when invalid', () => {
    const [namespace] = render(setupStates());
    expect(() => validateObjects([{ ...namespace!, metadata: { name: 'Not_A_Name' } }])).toThrow(InvalidObjectError);
    expect(() => validateObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'y' }, spec: { containers: 'none' } }])).toThrow(/v1\/Pod\/y\/x/);
    expect(() => validateObjects([{ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 's', namespace: 'y' }, spec: { source: {} } }])).toThrow(/spec\.source/);
  });

  it('uses no fields newer than Kubernetes 1.20 (no kubernetes.io/metadata.name selector, no pod OS, no host users)', () => {
    const text = JSON.stringify([...render(analysisStates()), ...render(setupStates())]);
    for (const newer of ['kubernetes.io/metadata.name', '"os":', 'hostUsers', 'endPort', 'resizePolicy', 'podFailurePolicy']) expect(text).not.toContain(newer);
  });

  it('keeps storage after a teardown and renders nothing once the data is deleted', () => {
    expect(kinds(render({ ingress: torn }))).toEqual([`Namespace/spe-permit-${PERMIT}`, 'ResourceQuota/workspace-quota', 'NetworkPolicy/default-deny', 'PersistentVolumeClaim/raw']);
    expect(render({ ingress: { ...torn, status: 'deleted' } })).toEqual([]);
  });

  it('is the same for the same state (applying twice changes nothing)', () => {
    expect(render(analysisStates())).toEqual(render(analysisStates()));
  });
});

describe('names', () => {
  it('keeps a plain permit id in the namespace and hashes anything it had to change', () => {
    expect(namespaceName(PERMIT)).toBe(`spe-permit-${PERMIT}`);
    expect(namespaceName('P-1')).toMatch(/^spe-permit-p-1-[0-9a-f]{10}$/);
    expect(namespaceName('p-1')).toBe('spe-permit-p-1');
    expect(namespaceName('x'.repeat(200))).toHaveLength(63);
    expect(namespaceName('Ü/ß')).toMatch(/^spe-permit-[0-9a-f]{10}$/);
  });

  it('lists every object a workspace could have, so what is no longer desired can be removed', () => {
    const refs = possibleRefs(PERMIT, Object.values(setupStates()) as WorkspaceDesiredState[]).map((r) => `${r.kind}/${r.name}`);
    expect(refs).toEqual(expect.arrayContaining(['Pod/workspace', 'NetworkPolicy/workspace-egress-proxy', 'NetworkPolicy/workspace-access', `Namespace/spe-permit-${PERMIT}`]));
    expect(refs.at(-1)).toBe('Pod/workspace');
  });
});
