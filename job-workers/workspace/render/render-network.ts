/**
 * Network policies that open holes in `default-deny`. Egress exists only in the setup phase and only to the
 * egress proxy (TCP) and cluster DNS (UDP and TCP 53); every other policy is ingress-only.
 */
import type { INetworkPolicy, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { WorkspacePhase } from '../../../shared/index.js';
import type { KubeObject } from '../drivers/workspace-driver.js';
import { LABELS, workloadComponent } from './names.js';
import type { LabelSelector, RenderOptions } from './render-options.js';
import { objectMeta } from './render-storage.js';

/**
 * An empty label map is written as an empty selector (`{}`, "all"): the API server drops an empty `matchLabels`,
 * and a rendered object that differs from what the server stores would be rewritten on every apply.
 */
function labelSelector(labels: Record<string, string> | undefined) {
  return labels && Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

function peer(selector: LabelSelector): INetworkPolicyPeer {
  return { namespaceSelector: labelSelector(selector.namespaceLabels), podSelector: labelSelector(selector.podLabels) };
}

function workloadSelector(phase: WorkspacePhase) {
  return { matchLabels: { [LABELS.component]: workloadComponent(phase) } };
}

/** Setup phase: egress to the proxy and DNS only. */
export function renderProxyEgress(permitId: string, name: string, phase: WorkspacePhase, options: RenderOptions): KubeObject {
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(permitId, name, 'network-policy', { phase }),
    spec: {
      podSelector: workloadSelector(phase),
      policyTypes: ['Egress'],
      egress: [
        { to: [peer(options.proxy)], ports: [{ protocol: 'TCP', port: options.proxy.port }] },
        { to: [peer(options.dns)], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      ],
    },
  };
  return policy as KubeObject;
}

/** Lets a gateway reach the workload of `phase` on its port (researcher sessions, steward sessions, uploads). */
export function renderGatewayIngress(permitId: string, name: string, phase: WorkspacePhase, gateway: LabelSelector & { port: number }): KubeObject {
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(permitId, name, 'network-policy', { phase }),
    spec: {
      podSelector: workloadSelector(phase),
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer(gateway)], ports: [{ protocol: 'TCP', port: gateway.port }] }],
    },
  };
  return policy as KubeObject;
}
