/**
 * Bundles the spe rules for Camunda Desktop Modeler: bpmnlint's own config compiler resolves `plugin:spe/recommended`
 * into imports of each rule (with known-names.json), esbuild bundles them for the browser, and the bundle registers
 * `{ config, resolver }` as a `lintRules.cloud-bpmn` client plugin (what Modeler's linting reads for Camunda 8
 * diagrams). Modeler's own rules (bpmnlint recommended, camunda-compat) stay as they are; these are added.
 *
 *   npx tsx bpmnlint-plugin-spe/modeler/build.mts [outfile]    (default: bpmnlint-plugin-spe/modeler/client.js)
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const requireFromRoot = createRequire(join(repoRoot, 'package.json'));

/** Builds the Modeler client script to `outfile`; returns its path. */
export async function buildModelerClient(outfile = join(here, 'client.js')): Promise<string> {
  // bpmnlint has no typings for these entry points.
  const compileConfig = requireFromRoot('bpmnlint/lib/support/compile-config') as (config: object, resolver: unknown) => Promise<string>;
  const NodeResolver = requireFromRoot('bpmnlint/lib/resolver/node-resolver') as new (options: { require: NodeJS.Require }) => unknown;
  const { build } = await import('esbuild');
  const compiled = await compileConfig({ extends: 'plugin:spe/recommended' }, new NodeResolver({ require: requireFromRoot }));
  // The same registration camunda-modeler-plugin-helpers' registerClientPlugin performs: Modeler collects window.plugins.
  const registration = `
const registered = (window.plugins = window.plugins || []);
registered.push({ plugin: { config, resolver }, type: 'lintRules.cloud-bpmn' });
`;
  await build({
    stdin: { contents: `${compiled}\n${registration}`, resolveDir: repoRoot, sourcefile: 'spe-modeler-client.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: resolve(outfile),
    logLevel: 'warning',
  });
  return resolve(outfile);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildModelerClient(process.argv[2]);
  console.log(`wrote ${written}: copy ${here} to <Modeler user data>/resources/plugins/spe-diagram-contracts/ and restart Modeler`);
}
