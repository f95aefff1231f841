/**
 * Errors the engine answers with. The HTTP layer turns them into RFC 9457 problem+json with the same
 * status and title Camunda 8.8 uses (400 INVALID_ARGUMENT, 404 NOT_FOUND, 409 INVALID_STATE, ...).
 */
export type EngineErrorTitle =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'ALREADY_EXISTS'
  | 'DEADLINE_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<EngineErrorTitle, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_EXISTS: 409,
  DEADLINE_EXCEEDED: 504,
  RESOURCE_EXHAUSTED: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class EngineError extends Error {
  readonly status: number;
  constructor(
    readonly title: EngineErrorTitle,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'EngineError';
    this.status = STATUS[title];
  }
}

export const invalidArgument = (detail: string): EngineError => new EngineError('INVALID_ARGUMENT', detail);
export const notFound = (detail: string): EngineError => new EngineError('NOT_FOUND', detail);
export const invalidState = (detail: string): EngineError => new EngineError('INVALID_STATE', detail);
