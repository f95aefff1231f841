/**
 * The airlock store: the files of a permit, kept per zone, behind one interface with two back ends (`filesystem`,
 * the embedded default under the data folder, and `s3`, any S3-compatible object store). Every object keeps its
 * SHA-256, size, who put it there and when (and the delivery or output request it belongs to).
 *
 * Zones follow the airlock: data holders upload into `quarantine`; the ingress scan promotes clean, matching files
 * to `raw`; preparation brings them into `prepared`; the workspace writes `outputs`; an approved output request is
 * copied into `released`. Bytes enter a zone only two ways, both data below: `put` into an entry zone
 * (`PUT_ZONES`), or a transition along `ZONE_TRANSITIONS`. Anything else is refused with an `InvalidTransitionError`.
 */
import type { Readable } from 'node:stream';

export const AIRLOCK_ZONES = ['quarantine', 'raw', 'prepared', 'outputs', 'released'] as const;
export type AirlockZone = (typeof AIRLOCK_ZONES)[number];

/** Zones that take new bytes from outside the store (`put`): uploads of data holders, the workspace's outputs. */
export const PUT_ZONES = ['quarantine', 'outputs'] as const satisfies readonly AirlockZone[];
export type PutZone = (typeof PUT_ZONES)[number];

/** The only ways from one zone into another. A zone missing on the right can be entered by no transition. */
export const ZONE_TRANSITIONS = {
  quarantine: ['raw'],
  raw: ['prepared'],
  prepared: [],
  outputs: ['released'],
  released: [],
} as const satisfies Record<AirlockZone, readonly AirlockZone[]>;

/**
 * How a transition treats the source: `move` leaves nothing behind (a promoted upload is no longer in quarantine),
 * `copy` keeps it (raw stays beside prepared until deletion; outputs stay beside their release).
 */
export const TRANSITION_MODES = {
  'quarantine->raw': 'move',
  'raw->prepared': 'copy',
  'outputs->released': 'copy',
} as const satisfies Record<string, 'move' | 'copy'>;

export type TransitionMode = (typeof TRANSITION_MODES)[keyof typeof TRANSITION_MODES];

/**
 * Files the platform writes itself, by zone: beside each release (`released/<request id>/<name>`), its Five Safes
 * RO-Crate, the manifest of checksums and the disclosure checks' results. These names, one folder deep, are the only
 * bytes that enter a zone other than by `put` into `PUT_ZONES` or a transition (`putGenerated`).
 */
export const GENERATED_FILES = {
  released: ['ro-crate-metadata.json', 'manifest-sha256.txt', 'disclosure-checks.json'],
} as const satisfies Partial<Record<AirlockZone, readonly string[]>>;
export type GeneratedZone = keyof typeof GENERATED_FILES;

export function isAirlockZone(value: unknown): value is AirlockZone {
  return typeof value === 'string' && (AIRLOCK_ZONES as readonly string[]).includes(value);
}

/** Whether `from → to` is in `ZONE_TRANSITIONS`, and how it treats the source. */
export function transitionMode(from: AirlockZone, to: AirlockZone): TransitionMode | undefined {
  const allowed: readonly AirlockZone[] = ZONE_TRANSITIONS[from];
  if (!allowed.includes(to)) return undefined;
  return (TRANSITION_MODES as Record<string, TransitionMode>)[`${from}->${to}`];
}

/** One object: where it is, what it is, who put it there. */
export interface AirlockObject {
  permitId: string;
  zone: AirlockZone;
  /** Relative path inside the zone (shared/safe-relative-path.ts). */
  path: string;
  /** Lower-case hex SHA-256 of the bytes, computed by the store while they streamed in. */
  sha256: string;
  sizeBytes: number;
  /** User id (or `system:<worker>`) that put the bytes in this zone (for a transition: who made it). */
  putBy: string;
  /** ISO 8601. */
  putAt: string;
  /** The data holder's delivery the object came with (ingress); kept through transitions. */
  deliveryId?: string | undefined;
  /** The output request the object was released for (egress). */
  outputRequestId?: string | undefined;
}

export interface AirlockObjectRef {
  permitId: string;
  zone: AirlockZone;
  path: string;
}

export interface PutObjectInput {
  permitId: string;
  zone: PutZone;
  path: string;
  putBy: string;
  body: Readable | AsyncIterable<Uint8Array>;
  deliveryId?: string | undefined;
  outputRequestId?: string | undefined;
  /** When given, a stream of another length is refused and nothing is kept. */
  expectedSizeBytes?: number | undefined;
  /** An object already at this path is replaced only when true; otherwise the put is refused (ConflictError). */
  replace?: boolean | undefined;
}

export interface PutGeneratedInput {
  permitId: string;
  zone: GeneratedZone;
  /** `<folder>/<name>`, `name` one of `GENERATED_FILES[zone]` (e.g. `<request id>/ro-crate-metadata.json`). */
  path: string;
  /** Who writes it (`system:<worker>`). */
  putBy: string;
  /** The whole file: generated metadata is small. */
  body: Buffer;
  outputRequestId?: string | undefined;
  /**
   * Different bytes already at the path are replaced only when true (a release not yet recorded, so never served);
   * otherwise they are a ConflictError. The same bytes are always kept as they are (a repeated job).
   */
  replace?: boolean | undefined;
}

export interface TransitionInput {
  permitId: string;
  from: AirlockZone;
  to: AirlockZone;
  /** The paths to take; all objects of the zone (matching `deliveryId`, when given) when omitted. */
  paths?: readonly string[] | undefined;
  deliveryId?: string | undefined;
  /** Who makes the transition: the new objects' `putBy`. */
  by: string;
  /** Set on the new objects (e.g. the output request of a release). */
  outputRequestId?: string | undefined;
  /** Put the objects under this folder in the target zone (e.g. the request id for `released`). Safe relative path. */
  targetPrefix?: string | undefined;
}

export interface ListFilter {
  deliveryId?: string | undefined;
  outputRequestId?: string | undefined;
  /** Only objects under this folder (a safe relative path, without trailing "/"). */
  prefix?: string | undefined;
}

export interface AirlockStore {
  readonly kind: 'filesystem' | 's3';
  /** Largest object `put` accepts, in bytes (AIRLOCK_MAX_FILE_BYTES). */
  readonly maxFileBytes: number;
  /**
   * Streams `body` into the zone in bounded memory, computing SHA-256 and size as it goes. Refuses (and keeps
   * nothing) an unsafe path (ValidationError), a zone outside `PUT_ZONES` (InvalidTransitionError), a stream over
   * `maxFileBytes` or not of `expectedSizeBytes` (ValidationError), an existing path without `replace` (ConflictError).
   */
  put(input: PutObjectInput): Promise<AirlockObject>;
  /**
   * Writes a file the platform generates (`GENERATED_FILES`) into its zone; any other name or zone is refused
   * (InvalidTransitionError). Idempotent: the same bytes at the path leave the object as it was (its `putAt` too).
   */
  putGenerated(input: PutGeneratedInput): Promise<AirlockObject>;
  /** The bytes of an object; NotFoundError when there is none. */
  open(ref: AirlockObjectRef): Promise<Readable>;
  /** The object's record, or undefined. */
  stat(ref: AirlockObjectRef): Promise<AirlockObject | undefined>;
  /** Objects of one zone of a permit, ordered by path. */
  list(permitId: string, zone: AirlockZone, filter?: ListFilter): Promise<AirlockObject[]>;
  /**
   * Moves or copies objects along `ZONE_TRANSITIONS` (InvalidTransitionError otherwise; NotFoundError for a named
   * path that is not there; ConflictError when the target exists with other bytes). Idempotent: repeating a
   * transition that already happened returns the objects in the target zone and changes nothing.
   */
  transition(input: TransitionInput): Promise<AirlockObject[]>;
  /** Removes one object; false when there was none. */
  remove(ref: AirlockObjectRef): Promise<boolean>;
  /** Removes every object of the permit in every zone (data deletion); the number removed. */
  removePermit(permitId: string): Promise<number>;
}
