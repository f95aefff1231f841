/**
 * `node bench/api/profile-summary.mjs <file.cpuprofile> [rows]`: a V8 CPU profile's self time summed by function
 * (name, file, line) and by file, largest first, with each one's share of the samples. Quicker to read than a flame
 * chart when the question is "where does a request's CPU go"; idle and GC are rows of their own.
 */
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/api/profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 40);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfSamples = new Map();
for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);

const shortFile = (url) => (url ? url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, 'nm/').replace(/^.*\/work\/[^/]+\//, '') : '(native)');
const byFunction = new Map();
const byFile = new Map();
for (const [id, count] of selfSamples) {
  const { callFrame } = nodes.get(id);
  const where = shortFile(callFrame.url);
  const fn = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
  byFile.set(where, (byFile.get(where) ?? 0) + count);
}
const total = profile.samples.length;
const print = (title, map) => {
  console.log(`\n${title} (${total} samples)`);
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((count / total) * 100).toFixed(1).padStart(6)} %  ${key}`);
  }
};
print('self time by function', byFunction);
print('self time by file', byFile);
