/** The 400 both request paths (the Express app and the hot routes) answer for text PostgreSQL cannot store. */
import { invalidArgument, type EngineError } from '../errors.js';
import type { UnstorableText } from '../../shared/storable-text.js';

export function unstorableTextError(found: readonly UnstorableText[]): EngineError {
  return invalidArgument(`Invalid request: ${found.map((f) => `'${f.path}' ${f.message}`).join('; ')}; remove those characters and send it again.`);
}
