/**
 * Finds the real Kubernetes API server the integration tests run against (see scripts/kube-apiserver/):
 *
 * 1. `SPE_KUBECONFIG` set (CI: `eval "$(scripts/kube-apiserver/start.sh --env)"`): use that kubeconfig.
 * 2. Otherwise, when the kube-apiserver binary is already built (cached in ~/.cache/spe-kube-apiserver), run
 *    `scripts/kube-apiserver/start.sh` (a few seconds; it reuses a running server) and use its kubeconfig.
 * 3. Otherwise skip, saying how to get the server: the cold build takes minutes, too long for a test hook.
 *    `SPE_KUBE_BUILD=1` lets the tests build it anyway.
 *
 * `KUBECONFIG` alone is deliberately ignored: the tests create and delete namespaces, and must never do that on
 * whatever cluster a developer's shell happens to point at. The server is left running for later test files and
 * runs; `scripts/kube-apiserver/stop.sh` stops it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../../job-workers/workspace/drivers/kubernetes/index.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../..');
const startScript = join(repoRoot, 'scripts/kube-apiserver/start.sh');

export type KubeTestServer =
  | { available: true; kubeconfigPath: string; server: string; kubeConfig(context?: string): KubeConfig }
  | { available: false; reason: string };

/** The binaries start.sh needs (as scripts/kube-apiserver/common.sh locates them); missing ones mean a cold build. */
function missingBinaries(): string[] {
  const env = process.env;
  const cacheDir = env.SPE_KUBE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'spe-kube-apiserver');
  const binaries = [env.SPE_KUBE_BIN ?? join(cacheDir, 'bin', 'kube-apiserver')];
  if (env.SPE_KUBE_WITH_CONTROLLER_MANAGER !== '0') binaries.push(env.SPE_KUBE_CONTROLLER_MANAGER_BIN ?? join(cacheDir, 'bin', 'kube-controller-manager'));
  return binaries.filter((binary) => !existsSync(binary));
}

function serverFrom(kubeconfigPath: string): KubeTestServer {
  const kubeConfig = (context?: string) => loadKubeConfig(context ? { kind: 'file', path: kubeconfigPath, context } : { kind: 'file', path: kubeconfigPath });
  const server = kubeConfig().getCurrentCluster()?.server ?? '';
  return { available: true, kubeconfigPath, server, kubeConfig };
}

let pending: Promise<KubeTestServer> | undefined;

/** The test server, started once per test process; `{ available: false, reason }` when there is none. */
export function kubeTestServer(): Promise<KubeTestServer> {
  pending ??= locate();
  return pending;
}

async function locate(): Promise<KubeTestServer> {
  const configured = process.env.SPE_KUBECONFIG?.trim();
  if (configured) {
    if (!existsSync(configured)) throw new Error(`SPE_KUBECONFIG=${configured} does not exist; run scripts/kube-apiserver/start.sh again`);
    return serverFrom(configured);
  }
  const missing = missingBinaries();
  if (missing.length > 0 && process.env.SPE_KUBE_BUILD !== '1') {
    return {
      available: false,
      reason:
        `no Kubernetes API server for the tests: ${missing.join(' and ')} not built. Run scripts/kube-apiserver/start.sh once ` +
        '(builds it from Debian\'s kubernetes source package in ~7 minutes, then starts in ~5 s), or set SPE_KUBECONFIG.',
    };
  }
  try {
    const { stdout } = await run(startScript, ['--env'], { cwd: repoRoot, timeout: 30 * 60_000, maxBuffer: 10 * 1024 * 1024 });
    const match = /^export SPE_KUBECONFIG=(.+)$/m.exec(stdout);
    if (!match?.[1]) throw new Error(`start.sh printed no SPE_KUBECONFIG line: ${stdout}`);
    return serverFrom(match[1].replace(/^'(.*)'$/, '$1'));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (/missing Debian packages|needs a Debian system/.test(stderr)) {
      return { available: false, reason: `the Kubernetes API server cannot be built here: ${stderr.trim().split('\n').pop()}` };
    }
    throw new Error(`scripts/kube-apiserver/start.sh failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
}

/** A permit id no other test (or earlier run against the same server) uses. */
export function uniquePermitId(prefix = 'k8s'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
