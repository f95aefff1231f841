/** Rows of `airlock_objects` (migration 0012), owned by the airlock store. */
import type { AirlockObject, AirlockZone } from './airlock-store.js';

export const AIRLOCK_OBJECTS_TABLE = 'airlock_objects';

export interface AirlockObjectRow {
  permit_id: string;
  zone: AirlockZone;
  path: string;
  sha256: string;
  size_bytes: string | number;
  put_by: string;
  put_at: Date | string;
  delivery_id: string | null;
  output_request_id: string | null;
}

export function toAirlockObject(row: AirlockObjectRow): AirlockObject {
  return {
    permitId: row.permit_id,
    zone: row.zone,
    path: row.path,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    putBy: row.put_by,
    putAt: new Date(row.put_at).toISOString(),
    ...(row.delivery_id !== null ? { deliveryId: row.delivery_id } : {}),
    ...(row.output_request_id !== null ? { outputRequestId: row.output_request_id } : {}),
  };
}

export function toAirlockObjectRow(object: AirlockObject): AirlockObjectRow {
  return {
    permit_id: object.permitId,
    zone: object.zone,
    path: object.path,
    sha256: object.sha256,
    size_bytes: object.sizeBytes,
    put_by: object.putBy,
    put_at: object.putAt,
    delivery_id: object.deliveryId ?? null,
    output_request_id: object.outputRequestId ?? null,
  };
}
