/**
 * 401: no bearer token, or one that does not verify. An HTTP-edge error (the domain never authenticates), so it
 * lives here rather than in shared/errors.ts. The error handler answers it with problem+json and a
 * `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3).
 */
export class UnauthenticatedError extends Error {
  constructor(
    /** RFC 6750 error code; undefined when the request carried no credentials at all (§3.1: then no code). */
    readonly code: 'invalid_token' | 'invalid_request' | undefined,
    /** Human-readable reason, sent as `detail` and `error_description`. */
    readonly description: string,
  ) {
    super(description);
    this.name = 'UnauthenticatedError';
  }

  static missing(): UnauthenticatedError {
    return new UnauthenticatedError(undefined, 'This endpoint needs a bearer token: send "Authorization: Bearer <access token>".');
  }

  /** `WWW-Authenticate` header value for this failure. */
  challenge(realm: string): string {
    const parts = [`realm="${realm}"`];
    if (this.code) {
      parts.push(`error="${this.code}"`, `error_description="${this.description.replace(/["\\]/g, "'")}"`);
    }
    return `Bearer ${parts.join(', ')}`;
  }
}
