/**
 * `npm run migrate`'s work, without the command line: read both versions and the running instances, plan, print
 * the plan, and — only with `apply` and only when every instance can move — migrate them one by one through the
 * official client, logging each as it goes (pino) and ending with a summary. A plan that cannot be carried out in
 * full migrates nothing. An instance the engine still refuses (its own checks go further than the plan's) is
 * reported and the others go on; the summary names it.
 */
import type { Logger } from 'pino';
import type { MigrationMapping } from './migration-mapping.js';
import { readDefinitionVersion, readRunningInstances, type MigrationClient } from './migration-client.js';
import { describePlan, planMigration, type MigrationPlan } from './migration-plan.js';

export interface RunMigrationOptions {
  client: MigrationClient;
  mapping: MigrationMapping;
  /** Migrate; without it, a dry run that only plans. */
  apply: boolean;
  logger: Logger;
  /** The plan's lines; default stdout. */
  out?: (line: string) => void;
}

export interface MigrationFailure {
  processInstanceKey: string;
  permitId: string | null;
  error: string;
}

export interface MigrationOutcome {
  plan: MigrationPlan;
  /** What happened: planned only, refused (the plan cannot be carried out in full), or applied. */
  result: 'dry-run' | 'refused' | 'applied';
  migrated: string[];
  failed: MigrationFailure[];
}

/** The engine's refusal in one line: its problem detail when it gave one. */
function reasonOf(error: unknown): string {
  const detail = (error as { detail?: unknown }).detail ?? (error as { body?: { detail?: unknown } }).body?.detail;
  return typeof detail === 'string' && detail !== '' ? detail : error instanceof Error ? error.message : String(error);
}

export async function runMigration(options: RunMigrationOptions): Promise<MigrationOutcome> {
  const { client, mapping, logger } = options;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const source = await readDefinitionVersion(client, mapping.processDefinitionId, mapping.sourceVersion);
  const target = await readDefinitionVersion(client, mapping.processDefinitionId, mapping.targetVersion);
  const instances = await readRunningInstances(client, source);
  const plan = planMigration({ mapping, source, target, instances });
  for (const line of describePlan(plan)) out(line);

  if (!options.apply) {
    out(plan.ready && plan.instances.length > 0 ? 'Dry run: nothing changed. Run again with --apply to migrate.' : 'Dry run: nothing changed.');
    return { plan, result: 'dry-run', migrated: [], failed: [] };
  }
  if (!plan.ready) {
    out('Refusing to migrate: not every instance can move (see above). Nothing was migrated.');
    return { plan, result: 'refused', migrated: [], failed: [] };
  }

  const migrated: string[] = [];
  const failed: MigrationFailure[] = [];
  const total = plan.instances.length;
  const context = { processDefinitionId: mapping.processDefinitionId, sourceVersion: source.version, targetVersion: target.version };
  for (const [index, instance] of plan.instances.entries()) {
    const fields = { ...context, permitId: instance.permitId, processInstanceKey: instance.processInstanceKey, progress: `${index + 1}/${total}` };
    try {
      await client.migrateProcessInstance({ processInstanceKey: instance.processInstanceKey, targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions: mapping.mappingInstructions });
      migrated.push(instance.processInstanceKey);
      logger.info({ ...fields, waitsAt: instance.waitsAt.map((w) => w.targetElementId ?? w.elementId) }, `migrated permit ${instance.permitId ?? '(none)'} (${index + 1}/${total})`);
    } catch (error) {
      const reason = reasonOf(error);
      failed.push({ processInstanceKey: instance.processInstanceKey, permitId: instance.permitId, error: reason });
      logger.error({ ...fields, reason }, `the engine refused to migrate permit ${instance.permitId ?? '(none)'} (${index + 1}/${total}); it stays on version ${source.version}`);
    }
  }
  const summary = `Migrated ${migrated.length} of ${total} instance(s) of ${mapping.processDefinitionId} from version ${source.version} to version ${target.version}${failed.length > 0 ? `; ${failed.length} refused by the engine and left on version ${source.version}` : ''}.`;
  logger.info({ ...context, migrated: migrated.length, failed: failed.length, total }, summary);
  out(summary);
  for (const failure of failed) out(`  ✗ permit ${failure.permitId ?? '(none)'} / ${failure.processInstanceKey}: ${failure.error}`);
  return { plan, result: 'applied', migrated, failed };
}
