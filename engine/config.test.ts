import { describe, expect, it } from 'vitest';
import { exposureProblem, isLoopbackHost, readEngineConfig } from './config.js';

const BASIC = { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'ops', CAMUNDA_BASIC_AUTH_PASSWORD: 'a-long-secret' };

describe('readEngineConfig', () => {
  it('defaults: loopback, no configured credential (one is generated), clock control off, no extra host names', () => {
    const config = readEngineConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: './data/engine', clockControlled: false, allowedHosts: [] });
    expect(config.credentials).toBeUndefined();
  });

  it('takes the credential from the client variables, so one set configures both sides', () => {
    expect(readEngineConfig(BASIC).credentials).toEqual({ username: 'ops', password: 'a-long-secret' });
    // The strategy may be left out: the two Basic variables are enough.
    expect(readEngineConfig({ CAMUNDA_BASIC_AUTH_USERNAME: 'ops', CAMUNDA_BASIC_AUTH_PASSWORD: 'a-long-secret' }).credentials?.username).toBe('ops');
  });

  it('refuses half a credential, BASIC without one, an unusable one, and OAUTH', () => {
    expect(() => readEngineConfig({ CAMUNDA_BASIC_AUTH_USERNAME: 'ops' })).toThrow(/CAMUNDA_BASIC_AUTH_PASSWORD is unset while CAMUNDA_BASIC_AUTH_USERNAME is set/);
    expect(() => readEngineConfig({ CAMUNDA_AUTH_STRATEGY: 'BASIC' })).toThrow(/needs CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD/);
    expect(() => readEngineConfig({ ...BASIC, CAMUNDA_BASIC_AUTH_USERNAME: 'a:b' })).toThrow(/contains ':'/);
    expect(() => readEngineConfig({ ...BASIC, CAMUNDA_BASIC_AUTH_PASSWORD: 'short' })).toThrow(/shorter than 8/);
    expect(() => readEngineConfig({ CAMUNDA_AUTH_STRATEGY: 'OAUTH' })).toThrow(/embedded engine takes HTTP Basic credentials only/);
    expect(() => readEngineConfig({ CAMUNDA_AUTH_STRATEGY: 'KERBEROS' })).toThrow(/must be BASIC, OAUTH or NONE/);
  });

  it('refuses a non-loopback bind without configured credentials, and allows it with them', () => {
    expect(() => readEngineConfig({ ENGINE_HOST: '0.0.0.0' })).toThrow(/ENGINE_HOST=0\.0\.0\.0 would let other machines reach the engine.*CAMUNDA_BASIC_AUTH_USERNAME/s);
    expect(() => readEngineConfig({ ENGINE_HOST: '10.1.2.3' })).toThrow(/ENGINE_HOST=10\.1\.2\.3/);
    expect(readEngineConfig({ ...BASIC, ENGINE_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(readEngineConfig({ ENGINE_HOST: 'localhost' }).host).toBe('localhost');
    expect(readEngineConfig({ ENGINE_HOST: '::1' }).host).toBe('::1');
  });

  it('reads ZEEBE_CLOCK_CONTROLLED as Zeebe names it, and refuses a non-boolean', () => {
    expect(readEngineConfig({ ZEEBE_CLOCK_CONTROLLED: 'true' }).clockControlled).toBe(true);
    expect(readEngineConfig({ ZEEBE_CLOCK_CONTROLLED: 'false' }).clockControlled).toBe(false);
    expect(() => readEngineConfig({ ZEEBE_CLOCK_CONTROLLED: 'sometimes' })).toThrow(/ZEEBE_CLOCK_CONTROLLED must be true or false/);
  });

  it('takes its own PostgreSQL from ENGINE_DATABASE_URL, else the shared DATABASE_URL', () => {
    expect(readEngineConfig({ DATABASE_URL: 'postgres://db/spe' }).databaseUrl).toBe('postgres://db/spe');
    expect(readEngineConfig({ DATABASE_URL: 'postgres://db/spe', ENGINE_DATABASE_URL: 'postgres://engine-db/engine' }).databaseUrl).toBe('postgres://engine-db/engine');
    expect(readEngineConfig({}).databaseUrl).toBeUndefined();
  });

  it('reads ENGINE_ALLOWED_HOSTS as a comma-separated list of names and refuses a URL or a port', () => {
    expect(readEngineConfig({ ENGINE_ALLOWED_HOSTS: 'engine.internal, spe-engine ,[fd00::1]' }).allowedHosts).toEqual(['engine.internal', 'spe-engine', '[fd00::1]']);
    expect(() => readEngineConfig({ ENGINE_ALLOWED_HOSTS: 'http://engine.internal' })).toThrow(/allowedHosts/);
    expect(() => readEngineConfig({ ENGINE_ALLOWED_HOSTS: 'engine.internal:8080' })).toThrow(/without port/);
  });
});

describe('isLoopbackHost / exposureProblem', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'engine.internal', '127.0.0.1.nip.io']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('says nothing for loopback or configured credentials', () => {
    expect(exposureProblem('127.0.0.1', false)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', true)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', false)).toMatch(/ENGINE_ALLOWED_HOSTS/);
  });
});
