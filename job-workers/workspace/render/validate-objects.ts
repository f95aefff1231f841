/**
 * Validation of rendered objects before any driver sees them: built-in kinds against the Kubernetes schemas of
 * `kubernetes-models` (`.validate()`), the two custom resources (VolumeSnapshot, KubeVirt VirtualMachine, for which
 * `kubernetes-models` has no classes) against the subset of their CRD schemas the renderer uses, and every
 * object's name and labels against the DNS-1123 and label-syntax rules the API server enforces.
 */
import { z } from 'zod';
// One module per kind: the group indexes (`kubernetes-models/v1`) load every kind's schema, about a second.
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { describeRef, refOf, type KubeObject } from '../drivers/workspace-driver.js';

/** A rendered object the API server would refuse: a renderer bug, never a user error. */
export class InvalidObjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidObjectError';
  }
}

interface Validatable {
  validate(): void;
}
type ModelFactory = (object: KubeObject) => Validatable;

const BUILT_IN: Record<string, ModelFactory> = {
  'v1/Namespace': (o) => new Namespace(o as never),
  'v1/ResourceQuota': (o) => new ResourceQuota(o as never),
  'v1/ConfigMap': (o) => new ConfigMap(o as never),
  'v1/PersistentVolumeClaim': (o) => new PersistentVolumeClaim(o as never),
  'v1/Pod': (o) => new Pod(o as never),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o as never),
  'batch/v1/Job': (o) => new Job(o as never),
};

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'must be a DNS-1123 label' });

/** VolumeSnapshot (snapshot.storage.k8s.io/v1): exactly one source. */
const VolumeSnapshotSpec = z.strictObject({
  volumeSnapshotClassName: dnsLabel.optional(),
  source: z.union([z.strictObject({ persistentVolumeClaimName: dnsLabel }), z.strictObject({ volumeSnapshotContentName: z.string().min(1) })]),
});

const VmDisk = z.strictObject({
  name: dnsLabel,
  serial: z.string().regex(/^[A-Za-z0-9_.+-]{1,20}$/, { error: 'must be at most 20 of [A-Za-z0-9_.+-]' }).optional(),
  bootOrder: z.number().int().min(1).optional(),
  disk: z.strictObject({ bus: z.enum(['virtio', 'sata', 'scsi', 'usb']), readonly: z.boolean().optional() }),
});
const VmVolume = z.union([
  z.strictObject({ name: dnsLabel, containerDisk: z.strictObject({ image: z.string().min(1) }) }),
  z.strictObject({ name: dnsLabel, persistentVolumeClaim: z.strictObject({ claimName: dnsLabel, readOnly: z.boolean().optional() }) }),
  z.strictObject({ name: dnsLabel, cloudInitNoCloud: z.strictObject({ userData: z.string().min(1) }) }),
]);
const quantity = z.string().regex(/^[0-9.]+([KMGTPE]i?|m)?$/, { error: 'must be a Kubernetes quantity' });

/** KubeVirt VirtualMachine (kubevirt.io/v1), the fields the renderer sets; every disk needs a volume and back. */
const VirtualMachineSpec = z
  .strictObject({
    running: z.boolean(),
    template: z.strictObject({
      metadata: z.strictObject({ labels: z.record(z.string(), z.string()) }),
      spec: z.strictObject({
        domain: z.strictObject({
          cpu: z.strictObject({ cores: z.number().int().min(1) }),
          resources: z.strictObject({ requests: z.strictObject({ memory: quantity }), limits: z.strictObject({ memory: quantity }).optional() }),
          devices: z.strictObject({ disks: z.array(VmDisk).min(1) }),
        }),
        volumes: z.array(VmVolume).min(1),
      }),
    }),
  })
  .refine(
    (spec) => {
      const disks = spec.template.spec.domain.devices.disks.map((d) => d.name).sort();
      const volumes = spec.template.spec.volumes.map((v) => v.name).sort();
      return JSON.stringify(disks) === JSON.stringify(volumes);
    },
    { error: 'every disk needs a volume of the same name and every volume a disk' },
  );

const CUSTOM: Record<string, z.ZodType> = {
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': VolumeSnapshotSpec,
  'kubevirt.io/v1/VirtualMachine': VirtualMachineSpec,
};

const CLUSTER_SCOPED = new Set(['v1/Namespace']);
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function metadataProblems(object: KubeObject, typeKey: string): string[] {
  const problems: string[] = [];
  const { name, namespace, labels = {} } = object.metadata;
  if (!dnsLabel.safeParse(name).success) problems.push(`metadata.name "${name}" is not a DNS-1123 label`);
  if (CLUSTER_SCOPED.has(typeKey)) {
    if (namespace !== undefined) problems.push('a cluster-scoped object has a namespace');
  } else if (!namespace || !dnsLabel.safeParse(namespace).success) {
    problems.push(`metadata.namespace "${namespace ?? ''}" is missing or not a DNS-1123 label`);
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.split('/').pop()!.length > 63) problems.push(`label key "${key}" is invalid`);
    if (!LABEL_VALUE.test(value) || value.length > 63) problems.push(`label "${key}" has an invalid value "${value}"`);
  }
  return problems;
}

/** Throws `InvalidObjectError` naming every invalid object and why. */
export function validateObjects(objects: readonly KubeObject[]): void {
  const problems: string[] = [];
  for (const object of objects) {
    const typeKey = `${object.apiVersion}/${object.kind}`;
    const found = [...metadataProblems(object, typeKey)];
    const builtIn = BUILT_IN[typeKey];
    const custom = CUSTOM[typeKey];
    if (builtIn) {
      try {
        builtIn(object).validate();
      } catch (error) {
        found.push(error instanceof Error ? error.message : String(error));
      }
    } else if (custom) {
      const result = custom.safeParse(object.spec);
      if (!result.success) found.push(...result.error.issues.map((issue) => `spec.${issue.path.join('.')}: ${issue.message}`));
    } else {
      found.push(`no schema for ${typeKey}`);
    }
    if (found.length > 0) problems.push(`${describeRef(refOf(object))}: ${found.join('; ')}`);
  }
  if (problems.length > 0) throw new InvalidObjectError(`rendered objects are invalid: ${problems.join(' | ')}`);
}
