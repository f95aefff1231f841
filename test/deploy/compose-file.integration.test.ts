/**
 * docker-compose.camunda.yml, deploy/kong/kong.yml and deploy/keycloak/spe-realm.json hold together: every service
 * the platform runs against is there with its ports, the platform's environment passes the platform's own
 * configuration schema (rest-api/config.ts) in production mode and points at the compose services with their
 * credentials, Keycloak's realm gives the web app's client, the roles and the audience the platform expects (a
 * token shaped by the realm's mappers passes the real authenticator), Kong routes /api to the platform with rate
 * limiting and the rest to the web app, and `docker-compose config -q` accepts the file when docker-compose is
 * installed. (Docker is not needed: everything but that last check is static.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/deploy-models.js';
import { loadConfig } from '../../rest-api/config.js';
import { createAuthenticator } from '../../rest-api/identity/authenticator.js';
import { SEEDED_USERS } from '../../rest-api/identity/seeded-users.js';
import { ROLES } from '../../shared/index.js';

interface ComposeService {
  image?: string;
  command?: string[];
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: unknown };
}
interface KongConfig {
  _format_version: string;
  services: Array<{
    name: string;
    url: string;
    routes: Array<{ name: string; paths: string[]; strip_path?: boolean }>;
    plugins?: Array<{ name: string; config: Record<string, unknown> }>;
  }>;
}

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.camunda.yml');
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;
const platform = services.platform as ComposeService;
const env = platform.environment ?? {};
const kong = parse(readFileSync(join(REPO_ROOT, 'deploy', 'kong', 'kong.yml'), 'utf8')) as KongConfig;

interface RealmMapper { name: string; protocolMapper: string; config: Record<string, string> }
interface RealmClient {
  clientId: string;
  publicClient: boolean;
  standardFlowEnabled: boolean;
  implicitFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  redirectUris: string[];
  webOrigins: string[];
  attributes: Record<string, string>;
  defaultClientScopes: string[];
  protocolMappers: RealmMapper[];
}
interface RealmUser { id: string; username: string; firstName: string; lastName: string; email: string; emailVerified: boolean; enabled: boolean; realmRoles: string[]; credentials: Array<{ type: string; value: string; temporary: boolean }> }
interface Realm {
  realm: string;
  enabled: boolean;
  accessTokenLifespan: number;
  revokeRefreshToken: boolean;
  roles: { realm: Array<{ name: string }> };
  clients: RealmClient[];
  users: RealmUser[];
}
const REALM_FILE = join(REPO_ROOT, 'deploy', 'keycloak', 'spe-realm.json');
const realm = JSON.parse(readFileSync(REALM_FILE, 'utf8')) as Realm;

/** Container ports a service publishes ("host:container" → container). */
const containerPorts = (service: ComposeService | undefined): number[] => (service?.ports ?? []).map((p) => Number(String(p).split(':').pop()));
const dependsOn = (service: ComposeService): string[] => (Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {}));

function whichDockerCompose(): boolean {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
}

describe('docker-compose.camunda.yml', () => {
  it('runs Camunda 8.8 (orchestration cluster, connectors, Elasticsearch), PostgreSQL 15, RabbitMQ, Kong and the platform image', () => {
    expect(Object.keys(services).sort()).toEqual(['camunda', 'connectors', 'elasticsearch', 'keycloak', 'kong', 'platform', 'postgres', 'rabbitmq']);
    expect(services.keycloak?.image).toMatch(/^quay\.io\/keycloak\/keycloak:\$\{KEYCLOAK_VERSION:-\d+\.\d+\.\d+\}$/);
    expect(services.camunda?.image).toMatch(/^camunda\/camunda:\$\{CAMUNDA_VERSION:-8\.8\.\d+\}$/);
    expect(services.connectors?.image).toMatch(/^camunda\/connectors-bundle:\$\{CAMUNDA_CONNECTORS_VERSION:-8\.8\.\d+\}$/);
    expect(services.elasticsearch?.image).toMatch(/elasticsearch:\$\{ELASTIC_VERSION:-8\.\d+\.\d+\}$/);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.rabbitmq?.image).toBe('rabbitmq:3-management');
    expect(services.kong?.image).toMatch(/^kong:3(\.|$)/);
    expect(platform.build).toBe('.');
  });

  it('publishes the ports the docs name', () => {
    expect(containerPorts(services.camunda)).toEqual(expect.arrayContaining([8080, 26500]));
    expect(containerPorts(services.rabbitmq)).toEqual(expect.arrayContaining([5672, 15672]));
    expect(containerPorts(services.postgres)).toContain(5432);
    expect(containerPorts(services.kong)).toContain(8000);
    expect(containerPorts(platform)).toContain(Number(env.PORT));
  });

  it('configures the cluster with Elasticsearch as secondary storage and the connectors against the cluster', () => {
    const camunda = services.camunda?.environment ?? {};
    expect(camunda.CAMUNDA_DATA_SECONDARYSTORAGE_TYPE).toBe('elasticsearch');
    expect(camunda.CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL).toBe(`http://elasticsearch:${containerPorts(services.elasticsearch)[0]}`);
    expect(services.elasticsearch?.environment?.['discovery.type']).toBe('single-node');
    expect(services.connectors?.environment?.CAMUNDA_CLIENT_RESTADDRESS).toBe('http://camunda:8080');
    expect(services.connectors?.environment?.CAMUNDA_CLIENT_GRPCADDRESS).toBe('http://camunda:26500');
  });

  it("gives the platform an environment its configuration schema accepts, pointing at the stack's services", () => {
    // Every platform variable is one rest-api/config.ts reads (its schema's keys), or one of the SDK's (CAMUNDA_*).
    const known = [...readFileSync(join(REPO_ROOT, 'rest-api', 'config.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]);
    expect(known).toEqual(expect.arrayContaining(['ZEEBE_REST_ADDRESS', 'DATABASE_URL', 'AMQP_URL', 'OIDC_ISSUER', 'TRUST_PROXY', 'HOST', 'PUBLIC_URL']));
    expect(Object.keys(env).filter((name) => !known.includes(name) && !name.startsWith('CAMUNDA_'))).toEqual([]);
    const config = loadConfig(env);
    expect(config.zeebeRestAddress).toBe('http://camunda:8080');
    expect(env.CAMUNDA_AUTH_STRATEGY).toBe('BASIC');
    expect(config.host).toBe('0.0.0.0');
    expect(config.trustProxy).toBe(true);
    expect(config.publicUrl).toBe(`http://localhost:${containerPorts(services.kong)[0]}`);
    // Production identity: Keycloak's tokens, never the development issuer (which production refuses).
    expect(config.nodeEnv).toBe('production');
    expect(config.devAuth).toBe(false);
    expect(env.DEV_AUTH).toBeUndefined();
    expect(() => loadConfig({ ...env, DEV_AUTH: 'true' })).toThrow(/DEV_AUTH=true is refused with NODE_ENV=production/);

    const database = new URL(config.databaseUrl ?? '');
    const pg = services.postgres?.environment ?? {};
    expect([database.hostname, database.port, database.username, database.password, database.pathname]).toEqual(['postgres', '5432', pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`]);
    const amqp = new URL(config.amqpUrl ?? '');
    const rabbit = services.rabbitmq?.environment ?? {};
    expect([amqp.hostname, amqp.port, amqp.username, amqp.password]).toEqual(['rabbitmq', '5672', rabbit.RABBITMQ_DEFAULT_USER, rabbit.RABBITMQ_DEFAULT_PASS]);

    expect(dependsOn(platform)).toEqual(expect.arrayContaining(['camunda', 'postgres', 'rabbitmq', 'keycloak']));
    expect(platform.volumes?.some((v) => v.endsWith(':/app/data'))).toBe(true);
  });

  it("requires authentication on the cluster's APIs, with the platform's own user and passwords from .env", () => {
    const camunda = services.camunda?.environment ?? {};
    expect(camunda.CAMUNDA_SECURITY_AUTHENTICATION_METHOD?.toLowerCase()).toBe('basic');
    expect(camunda.CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI).toBe('false');
    expect(camunda.CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED).toBe('true');
    // The cluster creates the platform's user; the platform signs in as that user with the SDK's Basic settings.
    const users = Object.entries(camunda).filter(([name]) => /^CAMUNDA_SECURITY_INITIALIZATION_USERS_\d+_USERNAME$/.test(name));
    const platformUser = users.find(([, value]) => value === env.CAMUNDA_BASIC_AUTH_USERNAME);
    expect(platformUser, 'an initial user for the platform').toBeDefined();
    const index = /_USERS_(\d+)_/.exec(platformUser![0])![1];
    const variableOf = (value: string | undefined): string | undefined => /^\$\{([A-Z_]+)/.exec(value ?? '')?.[1];
    expect(variableOf(camunda[`CAMUNDA_SECURITY_INITIALIZATION_USERS_${index}_PASSWORD`])).toBe(variableOf(env.CAMUNDA_BASIC_AUTH_PASSWORD));
    expect(variableOf(env.CAMUNDA_BASIC_AUTH_PASSWORD)).toBe('CAMUNDA_PLATFORM_PASSWORD');
    expect(env.CAMUNDA_BASIC_AUTH_USERNAME).toMatch(/^\$\{CAMUNDA_PLATFORM_USERNAME:-[a-z-]+\}$/);
    // No password is written in the file: every one is a required variable (docker compose refuses to start without it).
    const camundaPasswords = [
      ...Object.entries(camunda).filter(([name]) => name.endsWith('_PASSWORD')).map(([, value]) => value),
      env.CAMUNDA_BASIC_AUTH_PASSWORD,
      services.connectors?.environment?.CAMUNDA_CLIENT_AUTH_PASSWORD,
    ];
    expect(camundaPasswords.length).toBeGreaterThanOrEqual(4);
    for (const value of camundaPasswords) expect(value).toMatch(/^\$\{CAMUNDA_[A-Z_]+_PASSWORD:\?[^}]+\}$/);
    expect(services.connectors?.environment?.CAMUNDA_CLIENT_AUTH_METHOD).toBe('basic');
    // The cluster's ports are published on loopback only.
    for (const port of services.camunda?.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('puts Kong in DB-less mode on deploy/kong/kong.yml, routing /api to the platform with rate limiting', () => {
    const kongEnv = services.kong?.environment ?? {};
    expect(kongEnv.KONG_DATABASE).toBe('off');
    expect(services.kong?.volumes).toContain(`./deploy/kong/kong.yml:${kongEnv.KONG_DECLARATIVE_CONFIG}:ro`);

    expect(kong._format_version).toBe('3.0');
    const api = kong.services.find((s) => s.routes.some((r) => r.paths.includes('/api')));
    expect(api?.url).toBe(`http://platform:${env.PORT}`);
    expect(api?.routes.every((r) => r.strip_path === false)).toBe(true);
    const limit = api?.plugins?.find((p) => p.name === 'rate-limiting');
    expect(limit?.config).toMatchObject({ limit_by: 'ip', policy: 'local' });
    expect(Number(limit?.config.minute)).toBeGreaterThan(0);
    // Kong fronts the platform only (the API and, at /, the web app on the same origin): nothing routes to the cluster.
    expect(kong.services.every((s) => s.url === `http://platform:${env.PORT}`)).toBe(true);
    expect(kong.services.flatMap((s) => s.routes.flatMap((r) => r.paths)).every((path) => path.startsWith('/api') || path === '/')).toBe(true);
    const web = kong.services.find((s) => s.routes.some((r) => r.paths.includes('/')));
    expect(web?.routes.every((r) => r.strip_path === false)).toBe(true);
    expect(web?.plugins?.some((p) => p.name === 'rate-limiting')).toBe(true);
  });


  describe('Keycloak (realm spe)', () => {
    const keycloak = services.keycloak as ComposeService;
    const kcEnv = keycloak.environment ?? {};
    const config = loadConfig(env);
    const webClient = realm.clients.find((c) => c.clientId === config.oidcWebClientId) as RealmClient;
    const mapper = (type: string): RealmMapper | undefined => webClient.protocolMappers.find((m) => m.protocolMapper === type);

    it('imports deploy/keycloak/spe-realm.json on start, with the admin password from .env', () => {
      expect(keycloak.command).toEqual(['start-dev', '--import-realm']);
      expect(keycloak.volumes).toContain('./deploy/keycloak/spe-realm.json:/opt/keycloak/data/import/spe-realm.json:ro');
      expect(kcEnv.KC_BOOTSTRAP_ADMIN_PASSWORD).toMatch(/^\$\{KEYCLOAK_ADMIN_PASSWORD:\?[^}]+\}$/);
      expect(keycloak.healthcheck?.test).toBeDefined();
      expect((platform.depends_on as Record<string, { condition: string }>).keycloak?.condition).toBe('service_healthy');
    });

    it("points the platform at the realm's issuer (the URL browsers use) and its keys over the compose network", () => {
      // The issuer browsers see is KC_HOSTNAME; the platform fetches keys from the service (back channel).
      expect(config.oidcIssuer).toBe(`${kcEnv.KC_HOSTNAME}/realms/${realm.realm}`);
      expect(kcEnv.KC_HOSTNAME_BACKCHANNEL_DYNAMIC).toBe('true');
      const published = (keycloak.ports ?? []).map((p) => String(p).split(':'));
      expect(published.some((parts) => `http://localhost:${parts.at(-2)}` === kcEnv.KC_HOSTNAME && parts.at(-1) === '8080')).toBe(true);
      expect(config.oidcJwksUrl).toBe(`http://keycloak:8080/realms/${realm.realm}/protocol/openid-connect/certs`);
    });

    it('has exactly the platform roles as realm roles', () => {
      expect(realm.enabled).toBe(true);
      expect(realm.roles.realm.map((r) => r.name).sort()).toEqual([...ROLES].sort());
    });

    it('registers the web app as a public client: code flow only, PKCE S256, redirects to PUBLIC_URL', () => {
      expect(webClient).toMatchObject({ publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false });
      expect(webClient.attributes['pkce.code.challenge.method']).toBe('S256');
      expect(webClient.redirectUris).toEqual([`${config.publicUrl}/signed-in`]);
      expect(webClient.attributes['post.logout.redirect.uris']).toBe(`${config.publicUrl}/`);
      expect(webClient.webOrigins).toEqual([config.publicUrl]);
      expect(webClient.defaultClientScopes).toEqual(expect.arrayContaining(['basic', 'profile', 'email']));
    });

    it('maps the API audience into access tokens and the realm roles into the roles claim', () => {
      expect(mapper('oidc-audience-mapper')?.config).toMatchObject({ 'included.custom.audience': config.oidcAudience, 'access.token.claim': 'true' });
      expect(mapper('oidc-usermodel-realm-role-mapper')?.config).toMatchObject({ 'claim.name': 'roles', multivalued: 'true', 'access.token.claim': 'true', 'usermodel.realmRoleMapping.rolePrefix': '' });
      // Short access tokens, rotated refresh tokens, within what the API accepts.
      expect(realm.accessTokenLifespan).toBeLessThanOrEqual(900);
      expect(realm.accessTokenLifespan).toBeLessThanOrEqual(config.oidcMaxTokenLifetimeSeconds);
      expect(realm.revokeRefreshToken).toBe(true);
    });

    it('a token shaped by the realm (issuer, audience mapper, roles mapper, Keycloak extras) passes the real authenticator', async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'kc-1', alg: 'RS256', use: 'sig' };
      const authenticator = createAuthenticator({ issuer: config.oidcIssuer ?? '', audience: config.oidcAudience, keySet: { keys: [jwk] } });
      const rita = realm.users.find((u) => u.username === 'rita') as RealmUser;
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        typ: 'Bearer',
        azp: webClient.clientId,
        scope: 'openid profile email',
        name: `${rita.firstName} ${rita.lastName}`,
        preferred_username: rita.username,
        email: rita.email,
        // The roles mapper's claim: realm roles, including Keycloak's defaults the platform ignores.
        roles: [...rita.realmRoles, 'offline_access', 'uma_authorization', `default-roles-${realm.realm}`],
        realm_access: { roles: [...rita.realmRoles, 'offline_access'] },
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'kc-1', typ: 'JWT' })
        .setIssuer(config.oidcIssuer ?? '')
        .setAudience([config.oidcAudience, 'account'])
        .setSubject(rita.id)
        .setIssuedAt(now)
        .setExpirationTime(now + realm.accessTokenLifespan)
        .sign(privateKey);
      await expect(authenticator.verify(token)).resolves.toEqual({ userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'], email: 'rita@hdab.example.org' });
    });

    it('holds the seeded people as demo users (same ids, names, emails, roles), passwords marked development-only', () => {
      expect(realm.users.map((u) => [u.id, u.username, `${u.firstName} ${u.lastName}`, u.email, u.realmRoles.join()])).toEqual(
        SEEDED_USERS.map((u) => [u.userId, u.userId, u.name, u.email, u.roles.join()]),
      );
      for (const user of realm.users) {
        expect(user.credentials).toEqual([{ type: 'password', value: `${user.username}-dev-only`, temporary: false }]);
        expect(user).toMatchObject({ enabled: true, emailVerified: true });
      }
      expect(readFileSync(join(REPO_ROOT, 'deploy', 'keycloak', 'README.md'), 'utf8')).toMatch(/demo people for development and trials only/);
    });
  });

  const dockerCompose = whichDockerCompose();
  it.runIf(dockerCompose)('passes `docker-compose config -q`', () => {
    // The passwords come from .env; stand-ins here (the file refuses to render without them).
    const passwords = { CAMUNDA_ADMIN_PASSWORD: 'x', CAMUNDA_PLATFORM_PASSWORD: 'x', CAMUNDA_CONNECTORS_PASSWORD: 'x', KEYCLOAK_ADMIN_PASSWORD: 'x' };
    const run = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config', '-q'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...passwords } });
    expect(run.stderr, 'docker-compose config reported problems').toBe('');
    expect(run.status).toBe(0);
  });
  if (!dockerCompose) {
    it('docker-compose config -q (skipped: docker-compose is not on PATH; apt-get install -y docker-compose)', () => {
      console.warn('docker-compose not on PATH: the `docker-compose config -q` check was skipped');
      expect(dockerCompose).toBe(false);
    });
  }
});
