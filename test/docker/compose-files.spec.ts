import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DCLinter } from 'dclint';
import { parseDocument } from 'yaml';
import { loadConfig } from '../../libs/config/config.js';
import { startApi } from '../support/api-harness.js';

/**
 * docker/ cannot run here (no Docker engine), so its files are checked statically: each compose
 * file against the Compose Specification schema and dclint's rules, then against what the
 * deployment needs (advertised names, replica set members, health-gated start order, TLS and
 * credentials from the environment); the image's entry point and health check run for real.
 */

const run = promisify(execFile);
const DOCKER = 'docker';
const PRODUCTION = `${DOCKER}/compose.production.yml`;
const DEV = `${DOCKER}/compose.dev.yml`;

type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  restart?: string;
  ports?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

function load(file: string): Compose {
  const document = parseDocument(readFileSync(file, 'utf8'), { merge: true });
  if (document.errors.length) throw document.errors[0];
  return document.toJS() as Compose;
}

const servicesWhere = (compose: Compose, test: (name: string, service: Service) => boolean) =>
  Object.entries(compose.services)
    .filter(([name, service]) => test(name, service))
    .map(([name]) => name)
    .sort();

/** The value compose would pass on, with each `${VAR:?message}` standing for a value. */
const interpolated = (value: string) => value.replace(/\$\{[^}]*\}/g, 'value');

function connectionHosts(uri: string): string[] {
  const authority = interpolated(uri).replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]*@/, '').split(/[/?]/)[0];
  return authority.split(',').map((host) => host.split(':')[0]).sort();
}

function queryOf(uri: string): URLSearchParams {
  return new URLSearchParams(interpolated(uri).split('?')[1] ?? '');
}

describe('docker/ compose files', () => {
  it.each([PRODUCTION, DEV])('%s passes the Compose Specification schema and dclint with no warning', (file) => {
    const config = JSON.parse(readFileSync(`${DOCKER}/dclint.json`, 'utf8'));
    const [result] = new DCLinter({ ...config, quiet: false, debug: false, exclude: [] }).lintFiles([file], false);
    expect(result.messages.map((m: { line: number; rule: string; message: string }) => `${m.line}: ${m.rule} ${m.message}`)).toEqual([]);
  });

  it.each([PRODUCTION, DEV])('%s starts every service after what it needs is healthy or done', (file) => {
    const compose = load(file);
    const appImage = (service: Service) => service.build !== undefined || String(service.image).includes('CONTACT_PROFILES_IMAGE');
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect({ service: name, dependency, exists: Boolean(target) }).toEqual({ service: name, dependency, exists: true });
        expect({ service: name, dependency, condition }).not.toEqual({ service: name, dependency, condition: 'service_started' });
        if (condition === 'service_healthy') expect(target.healthcheck !== undefined || appImage(target)).toBe(true);
        if (condition === 'service_completed_successfully') expect(target.restart).toBe('no');
      }
    }
  });

  describe('production', () => {
    const compose = load(PRODUCTION);
    const esdbNodes = servicesWhere(compose, (_, s) => String(s.image).startsWith('eventstore/eventstore:'));
    const mongoMembers = servicesWhere(compose, (_, s) => JSON.stringify(s.command ?? '').includes('--replSet'));
    const apis = servicesWhere(compose, (_, s) => JSON.stringify(s.command) === '["api"]');
    const projectors = servicesWhere(compose, (_, s) => JSON.stringify(s.command) === '["projector"]');

    it('runs a 3-node EventStoreDB cluster with TLS whose nodes advertise their own service names', () => {
      expect(esdbNodes).toEqual(['esdb1', 'esdb2', 'esdb3']);
      for (const node of esdbNodes) {
        const env = compose.services[node].environment!;
        expect(env.EVENTSTORE_INSECURE).toBeUndefined();
        expect(env.EVENTSTORE_CLUSTER_SIZE).toBe(3);
        expect(env.EVENTSTORE_ADVERTISE_HOST_TO_CLIENT_AS).toBe(node);
        expect(env.EVENTSTORE_REPLICATION_HOST_ADVERTISE_AS).toBe(node);
        expect(env.EVENTSTORE_CERTIFICATE_FILE).toBe(`/certs/${node}/node.crt`);
        expect(String(env.EVENTSTORE_GOSSIP_SEED).split(',').map((seed) => seed.split(':')[0]).sort()).toEqual(esdbNodes);
        expect(String(env.EVENTSTORE_DEFAULT_ADMIN_PASSWORD)).toMatch(/^\$\{ESDB_ADMIN_PASSWORD:\?/);
      }
      const certificates = JSON.stringify(compose.services.certs.command);
      expect(certificates).toContain('for node in esdb1 esdb2 esdb3 mongo1 mongo2 mongo3');
      expect(certificates).toContain('-dns-names $$node');
    });

    it('runs a 3-member MongoDB replica set whose members are named as the containers reach them', () => {
      expect(mongoMembers).toEqual(['mongo1', 'mongo2', 'mongo3']);
      const init = readFileSync(`${DOCKER}/mongo/init-replica-set.js`, 'utf8');
      const members = JSON.parse(/const members = (\[[^\]]*\])/.exec(init)![1].replaceAll("'", '"')) as string[];
      expect(members).toEqual(mongoMembers.map((member) => `${member}:27017`));
      for (const member of mongoMembers) {
        const command = compose.services[member].command as string[];
        expect(command).toEqual(expect.arrayContaining(['--replSet', 'rs0', '--keyFile', '--tlsMode', 'requireTLS', '--tlsCAFile', '/certs/ca/ca.crt']));
        expect(command[command.indexOf('--tlsCertificateKeyFile') + 1]).toBe(`/certs/${member}/node.pem`);
      }
      expect(compose.services['mongo-init'].command).toEqual([expect.stringMatching(/^mongosh --quiet --tls --tlsCAFile \/certs\/ca\/ca\.crt --host mongo1:27017 /)]);
    });

    it('gives the API and the projector engines by service name, TLS, majority concerns and credentials from the environment', () => {
      for (const app of [...apis, ...projectors]) {
        const env = compose.services[app].environment!;
        const esdb = String(env.EVENTSTORE_CONNECTION_STRING);
        const mongo = String(env.MONGODB_URI);
        expect(connectionHosts(esdb)).toEqual(esdbNodes);
        expect(queryOf(esdb).get('tls')).toBe('true');
        expect(queryOf(esdb).get('tlsCAFile')).toBe('/certs/ca/ca.crt');
        expect(esdb).toMatch(/^esdb:\/\/admin:\$\{ESDB_ADMIN_PASSWORD:\?[^}]*\}@/);
        expect(connectionHosts(mongo)).toEqual(mongoMembers);
        expect(Object.fromEntries(queryOf(mongo))).toMatchObject({ replicaSet: 'rs0', w: 'majority', journal: 'true', readConcernLevel: 'majority', tls: 'true', tlsCAFile: '/certs/ca/ca.crt' });
        expect(mongo).toMatch(/^mongodb:\/\/\$\{MONGO_APP_USERNAME:\?[^}]*\}:\$\{MONGO_APP_PASSWORD:\?[^}]*\}@/);
        expect(String(env.AUTH_JWT_SECRET)).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
        expect(JSON.stringify(env)).not.toMatch(/localhost|127\.0\.0\.1/);
      }
    });

    it('runs 2 API instances behind the proxy, without projections, and 1 projector', () => {
      expect(apis).toEqual(['api1', 'api2']);
      expect(projectors).toEqual(['projector']);
      for (const api of apis) expect(compose.services[api].environment!.RUN_PROJECTIONS).toBe('false');
      const upstreams = [...readFileSync(`${DOCKER}/proxy/nginx.conf`, 'utf8').matchAll(/^\s*server (\S+):3000/gm)].map((m) => m[1]);
      expect(upstreams.sort()).toEqual(apis);
      expect(Object.keys(compose.services.proxy.depends_on!).sort()).toEqual(apis);
    });

    it('shares one rate-limit store between the API instances: REDIS_URL names the redis service, healthy before them', () => {
      const redis = compose.services.redis!;
      expect(JSON.stringify(redis.healthcheck)).toContain('redis-cli');
      for (const api of apis) {
        expect(compose.services[api].environment!.REDIS_URL).toBe('redis://redis:6379');
        expect((compose.services[api].depends_on as Record<string, { condition: string }>).redis).toEqual({ condition: 'service_healthy' });
      }
    });

    it('lists every variable it requires in docker/.env.example', () => {
      const required = new Set([...readFileSync(PRODUCTION, 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]));
      const documented = new Set([...readFileSync(`${DOCKER}/.env.example`, 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
      expect([...required].filter((name) => !documented.has(name))).toEqual([]);
      expect(required.size).toBeGreaterThanOrEqual(8);
    });
  });

  describe('development', () => {
    const compose = load(DEV);

    it('runs one EventStoreDB node and a standalone MongoDB that the host and the containers reach alike', () => {
      expect(compose.services.esdb.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: 1, EVENTSTORE_INSECURE: 'true' });
      expect(JSON.stringify(compose.services.mongo.command ?? '')).not.toContain('--replSet');
      expect(compose.services.api.environment).toMatchObject({
        EVENTSTORE_CONNECTION_STRING: 'esdb://esdb:2113?tls=false',
        MONGODB_URI: 'mongodb://mongo:27017/',
      });
      const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
      expect(published.length).toBeGreaterThan(0);
      for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:/);
    });
  });
});

describe('docker/ compose files and the image together', () => {
  /** The environment the image gives every container (the runtime stage's ENV lines). */
  const imageEnvironment = (): Record<string, string> => {
    const runtime = readFileSync(`${DOCKER}/Dockerfile`, 'utf8').split(/^FROM /m).at(-1)!;
    const lines = [...runtime.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)].map((match) => match[1]!.replace(/\\\n/g, ' '));
    return Object.fromEntries(lines.flatMap((line) => line.trim().split(/\s+/).map((pair) => pair.split('=') as [string, string])));
  };

  it.each([PRODUCTION, DEV])('%s: the configuration of every app container is one the app starts with', (file) => {
    const compose = load(file);
    const apps = servicesWhere(compose, (_, service) => service.build !== undefined || String(service.image).includes('CONTACT_PROFILES_IMAGE'));
    expect(apps.length).toBeGreaterThan(0);
    const dataDir = mkdtempSync(join(tmpdir(), 'compose-config-'));
    try {
      for (const app of apps) {
        const given = Object.fromEntries(Object.entries(compose.services[app]!.environment ?? {}).map(([name, value]) => [name, interpolated(String(value))]));
        // What an operator sets for `${VAR:?…}`: a secret of production length.
        if (given.AUTH_JWT_SECRET) given.AUTH_JWT_SECRET = 'a-secret-of-production-length-0123456789';
        expect(() => loadConfig({ ...imageEnvironment(), ...given, DATA_DIR: dataDir })).not.toThrow();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('docker/ image', () => {
  const dockerfile = readFileSync(`${DOCKER}/Dockerfile`, 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('is built in stages and runs as a user that is not root, with a health check and the entry point', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "\/app\/docker\/healthcheck\.mjs"\]$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/app\/docker\/entrypoint\.sh"\]$/m);
    expect(runtime).not.toMatch(/npm ci|COPY (apps|libs)/);
    expect(statSync(`${DOCKER}/entrypoint.sh`).mode & 0o111).not.toBe(0);
  });

  it('entry point: knows api, projector and cli, and refuses anything else with its usage', async () => {
    await run('sh', ['-n', `${DOCKER}/entrypoint.sh`]);
    const error = await run('sh', [`${DOCKER}/entrypoint.sh`, 'worker']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: api | projector | cli') });
    for (const role of ['api', 'projector', 'cli']) expect(readFileSync(`${DOCKER}/entrypoint.sh`, 'utf8')).toContain(`dist/apps/${role}/main.js`);
  });

  describe('health check', () => {
    const check = (role: string, env: Record<string, string>) =>
      run('node', [`${DOCKER}/healthcheck.mjs`, role], { env: { ...process.env, ...env }, timeout: 15_000 }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );

    it('api: healthy while GET /health answers, unhealthy when nothing listens', async () => {
      const api = await startApi();
      try {
        expect(await check('api', { PORT: new URL(api.baseUrl).port })).toBe(0);
      } finally {
        await api.close();
      }
      expect(await check('api', { PORT: String(await closedPort()) })).toBe(1);
    });

    it('projector: healthy while its MongoDB answers, unhealthy when it does not', async () => {
      const uri = process.env.MONGODB_URI;
      if (!uri) throw new Error('MONGODB_URI is not set (jest global setup starts FerretDB)');
      expect(await check('projector', { MONGODB_URI: uri })).toBe(0);
      expect(await check('projector', { MONGODB_URI: `mongodb://127.0.0.1:${await closedPort()}/` })).toBe(1);
    });
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
