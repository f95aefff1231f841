import { describe, expect, it } from 'vitest';
import { embeddedEngineFromEnv } from './embedded-engine-options.js';

describe('embeddedEngineFromEnv', () => {
  it('hands the Basic variables, clock control and extra host names to the embedded engine', () => {
    const options = embeddedEngineFromEnv({
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'ops',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'a-long-secret',
      ZEEBE_CLOCK_CONTROLLED: 'true',
      ENGINE_ALLOWED_HOSTS: 'engine.internal',
      PORT: '3000',
    });
    expect(options).toMatchObject({ port: 8080, host: '127.0.0.1', credentials: { username: 'ops', password: 'a-long-secret' }, clockControlled: true, allowedHosts: ['engine.internal'] });
  });

  it('without settings: no credential (the engine keeps a generated one in its data folder), clock control off', () => {
    const options = embeddedEngineFromEnv({});
    expect(options.credentials).toBeUndefined();
    expect(options).toMatchObject({ dataDir: './data/engine', clockControlled: false });
  });

  it('reads nothing with ZEEBE_REST_ADDRESS: the CAMUNDA_* settings (OAuth, say) belong to the cluster', () => {
    expect(embeddedEngineFromEnv({ ZEEBE_REST_ADDRESS: 'https://c8.example.org', CAMUNDA_AUTH_STRATEGY: 'OAUTH' })).toEqual({});
  });

  it('refuses OAUTH for the embedded engine', () => {
    expect(() => embeddedEngineFromEnv({ CAMUNDA_AUTH_STRATEGY: 'OAUTH' })).toThrow(/embedded engine takes HTTP Basic credentials only/);
  });
});
