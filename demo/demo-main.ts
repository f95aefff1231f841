/**
 * `npm run demo`: one permit from application to closure over the REST API, as the seeded users would take it,
 * with a progress display and a timeline at the end. Uses the platform at --url (default: this machine's
 * `npm start`); when nothing answers there it starts the platform in this process. Exits 1 when a step does not
 * reach what it expects, 2 on bad arguments.
 *
 *   npm run demo                       a new permit
 *   npm run demo -- --resume           carry on with the last demo permit (after Ctrl-C or a crash)
 *   npm run demo -- --url http://spe.example.org --no-start
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunningPlatform } from '../platform/start-platform.js';
import { ConfigError, loadConfig } from '../rest-api/config.js';
import { createDemoApi, PlatformUnreachableError } from './demo-api.js';
import { demoLinks } from './demo-public-url.js';
import { renderTimeline, timelineSpanMs } from './demo-timeline.js';
import { createProgressDisplay } from './progress-display.js';
import { DEMO_STEPS } from './demo-steps.js';
import { DemoStepError, runDemo } from './run-demo.js';

const USAGE = `Usage: npm run demo -- [options]

  --url <url>           the platform's base URL (default: DEMO_URL, else http://localhost:<PORT or 3000>)
  --resume              continue the last demo permit (remembered in --state-file)
  --permit <id>         continue this permit
  --no-start            do not start a platform in this process when none answers at --url
  --stop-after <step>   stop after this step (e.g. approve-setup, to look at the analysis workspace); --resume carries on
  --grace <duration>    closure's grace period before data deletion (ISO 8601, default PT5S)
  --step-timeout <s>    seconds a step may take, not counting time the platform is down (default 120)
  --state-file <path>   where the last demo permit id is kept (default ./data/demo/last-permit.json)
  --help
`;

class UsageError extends Error {}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      resume: { type: 'boolean', default: false },
      permit: { type: 'string' },
      'no-start': { type: 'boolean', default: false },
      'stop-after': { type: 'string' },
      grace: { type: 'string', default: 'PT5S' },
      'step-timeout': { type: 'string', default: '120' },
      'state-file': { type: 'string', default: './data/demo/last-permit.json' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const stepTimeoutS = Number(values['step-timeout']);
  if (!Number.isFinite(stepTimeoutS) || stepTimeoutS <= 0) throw new UsageError(`--step-timeout must be a positive number of seconds, not "${values['step-timeout']}"`);
  if (!/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(values.grace)) throw new UsageError(`--grace must be an ISO 8601 duration such as PT5S or P1D, not "${values.grace}"`);
  const stopAfter = values['stop-after'];
  if (stopAfter !== undefined && !DEMO_STEPS.some((step) => step.id === stopAfter)) {
    throw new UsageError(`--stop-after: there is no step "${stopAfter}"; the steps are ${DEMO_STEPS.map((step) => step.id).join(', ')}`);
  }
  if (values.resume && values.permit) throw new UsageError('give either --resume or --permit, not both');
  const url = values.url ?? process.env.DEMO_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url must be a URL such as http://localhost:3000, not "${url}"`);
  }
  return { ...values, url, stepTimeoutMs: stepTimeoutS * 1000 };
}

function rememberedPermit(stateFile: string): string {
  try {
    const { permitId } = JSON.parse(readFileSync(stateFile, 'utf8')) as { permitId?: string };
    if (permitId) return permitId;
  } catch {
    // Fall through to the message.
  }
  throw new UsageError(`--resume found no demo permit in ${stateFile}; run \`npm run demo\` to start one.`);
}

function remember(stateFile: string, permitId: string, url: string): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify({ permitId, url, at: new Date().toISOString() }, null, 2)}\n`);
}

/**
 * The platform of `npm start`, in this process, on the port of `url`; its logs go to stderr at warn. Loaded only
 * here: a demo against a running platform (`--no-start`, or one answering at --url) and a usage error do not load
 * the platform's modules (a bad argument cost 1.6-1.8 s of CPU before, most of it loading them).
 */
async function startLocalPlatform(url: string): Promise<RunningPlatform> {
  const [{ pino }, { embeddedEngineFromEnv }, { startPlatform }] = await Promise.all([
    import('pino'),
    import('../platform/embedded-engine-options.js'),
    import('../platform/start-platform.js'),
  ]);
  const port = new URL(url).port || '80';
  const config = loadConfig({ ...process.env, PORT: port });
  const logger = pino({ name: 'spe', level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  return startPlatform({ config, logger, embeddedEngine: embeddedEngineFromEnv(process.env) });
}

async function waitUntilUp(api: ReturnType<typeof createDemoApi>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await api.isUp()) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function isLocal(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = process.stdout;
  const display = createProgressDisplay({ out });
  const api = createDemoApi({ baseUrl: options.url, onOutage: ({ down, error }) => display.platformOutage(down, error), onThrottled: (seconds) => display.throttled?.(seconds) });

  let platform: RunningPlatform | undefined;
  if (!(await api.isUp())) {
    if (options['no-start'] || !isLocal(options.url)) {
      process.stderr.write(`No SPE platform answers at ${options.url}. Start one with \`npm start\`, or leave out --no-start to run one in this process.\n`);
      return 1;
    }
    out.write(`No platform at ${options.url}: starting one in this process (the same as \`npm start\`)…\n`);
    try {
      platform = await startLocalPlatform(options.url);
      out.write(`Platform ready in ${(platform.startupMs / 1000).toFixed(1)} s\n`);
    } catch (error) {
      // Another process holds the data folders: most likely `npm start`, still starting. Wait for it instead.
      const holder = /in use by process (\d+)/.exec(error instanceof Error ? error.message : '');
      if (!holder) throw error;
      out.write(`Process ${holder[1]} (probably \`npm start\`) holds the data folders; waiting for its platform at ${options.url}…\n`);
      if (!(await waitUntilUp(api, 120_000))) {
        process.stderr.write(`Process ${holder[1]} holds the data folders but no platform answered at ${options.url} within 120 s. Is it running on another PORT? Pass --url.\n`);
        return 1;
      }
    }
  }
  const stop = async () => {
    display.stop();
    await platform?.stop();
  };
  process.once('SIGINT', () => {
    display.stop();
    process.stderr.write('\nDemo stopped. Carry on later with `npm run demo -- --resume`.\n');
    void (platform?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });

  const permitId = options.resume ? rememberedPermit(options['state-file']) : options.permit;
  out.write(`Walking one permit through its whole life at ${options.url} as the seeded users alice, rita, victor and dana.\n\n`);
  const started = Date.now();
  try {
    const result = await runDemo({
      api,
      reporter: display,
      stepTimeoutMs: options.stepTimeoutMs,
      deletionGracePeriod: options.grace,
      onPermit: (id) => remember(options['state-file'], id, options.url),
      ...(options['stop-after'] ? { stopAfter: options['stop-after'] } : {}),
      ...(permitId ? { permitId } : {}),
    });
    display.stop();
    const final = result.final;
    // The platform's public base URL (PUBLIC_URL), not the address this process reached it on.
    const links = demoLinks(process.env, options.url);
    out.write(`\nTimeline of permit ${result.permitId}\n\n${renderTimeline(result.timeline).join('\n')}\n\n`);
    if (!result.complete) {
      out.write(`Stopped after "${options['stop-after']}" as asked: permit ${result.permitId} is ${final.permit.status}. Carry on with \`npm run demo -- --resume\`.\n`);
      await stop();
      return 0;
    }
    out.write(
      [
        // The permit's own duration comes from the timeline (first to last entry, the platform's timestamps), so it
        // agrees with the timeline also after --resume; this run's wall-clock time is said separately.
        `Permit ${result.permitId} is ${final.permit.status}, ${(timelineSpanMs(result.timeline) / 1000).toFixed(1)} s from the first to the last line of its timeline` +
          `${permitId ? ` (this resumed run took ${((Date.now() - started) / 1000).toFixed(1)} s)` : ''}:`,
        `${final.history.length} status changes, ${final.reviews.length} review decisions, ${final.deliveries.length} notification deliveries, ${final.egress.filter((e) => e.status === 'RELEASED').length} of ${final.egress.length} output requests released.`,
        `Open it in the web app: ${links.permitPage(result.permitId)} (the page the emails link to).`,
        `Look closer: GET ${links.api(`/permits/${result.permitId}/history`)}, …/workspaces, …/notifications, and GET ${links.api(`/audit?permitId=${result.permitId}`)}.`,
      ].join('\n') + '\n',
    );
    await stop();
    return 0;
  } catch (error) {
    await stop();
    if (error instanceof DemoStepError) {
      process.stderr.write(`\n✘ ${error.message}\nThe permit is ${error.permitStatus ?? 'unknown'}. See the platform's log; carry on with \`npm run demo -- --resume\` once fixed.\n`);
      return 1;
    }
    if (error instanceof PlatformUnreachableError) {
      process.stderr.write(`\n✘ ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`The demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
