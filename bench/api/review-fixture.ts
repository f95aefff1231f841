/**
 * Permits waiting for an HDAB decision, made through the API: each is created and submitted, and is ready once
 * its assessment task is open. Created with limited concurrency so the set-up itself does not time out.
 */
import { FORM_IDS, MESSAGES } from '../../shared/index.js';
import { as, createPermit, expectStatus, waitForSubscription } from '../../test/integration/support/permit-manager-client.js';
import type { PermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import { waitFor } from '../../test/support/wait-for.js';

export async function permitsAwaitingReview(pm: PermitManagerForTest, count: number, concurrency = 8): Promise<string[]> {
  const alice = as(pm, await pm.tokenFor('alice'));
  const rita = as(pm, await pm.tokenFor('rita'));
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const permit = await createPermit(alice, { title: `Bench permit ${next}` });
      await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
      expectStatus(await alice.post(`/permits/${permit.id}/submit`), 202, 'submit');
      ids.push(permit.id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await waitFor(
    `${count} open assessment tasks`,
    async () => {
      const tasks = (await rita.get<{ formId: string | null; permit: { id: string } }[]>('/tasks')).body;
      const open = new Set(tasks.filter((t) => t.formId === FORM_IDS.applicationAssessment).map((t) => t.permit.id));
      return ids.every((id) => open.has(id));
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  return ids;
}
