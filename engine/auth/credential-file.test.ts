import { describe, expect, it } from 'vitest';
import { CredentialFileError, parseCredentialFile, renderCredentialFile } from './credential-file.js';
import { clientSettingsFor, credentialProblem, generateCredentials } from './engine-credentials.js';

describe('credential file format', () => {
  it('round-trips a generated credential as the client variables a shell can load', () => {
    const credentials = generateCredentials();
    const text = renderCredentialFile(credentials);
    expect(text).toContain('CAMUNDA_AUTH_STRATEGY=BASIC\n');
    expect(parseCredentialFile(text, 'f')).toEqual(credentials);
    expect(credentialProblem(credentials)).toBeUndefined();
    // base64url: nothing a shell or a header would need quoted.
    expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('takes quoted values and ignores comments', () => {
    expect(parseCredentialFile('# x\nCAMUNDA_BASIC_AUTH_USERNAME="ops"\nCAMUNDA_BASIC_AUTH_PASSWORD=\'long-enough\'\n', 'f')).toEqual({ username: 'ops', password: 'long-enough' });
  });

  it('refuses a file without a credential, or with an unusable one, saying to delete it', () => {
    expect(() => parseCredentialFile('CAMUNDA_AUTH_STRATEGY=BASIC\n', '/d/credentials.env')).toThrow(CredentialFileError);
    expect(() => parseCredentialFile('CAMUNDA_AUTH_STRATEGY=BASIC\n', '/d/credentials.env')).toThrow(/Delete it/);
    expect(() => parseCredentialFile('CAMUNDA_BASIC_AUTH_USERNAME=a:b\nCAMUNDA_BASIC_AUTH_PASSWORD=long-enough\n', 'f')).toThrow(/contains ':'/);
  });

  it('gives the official client its settings for the engine', () => {
    expect(clientSettingsFor('http://127.0.0.1:8080', { username: 'u', password: 'p' })).toEqual({
      ZEEBE_REST_ADDRESS: 'http://127.0.0.1:8080',
      CAMUNDA_REST_ADDRESS: 'http://127.0.0.1:8080',
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'u',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'p',
    });
  });
});
