/** POST /message-subscriptions/search. */
import { Router } from 'express';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapMessageSubscription } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf } from '../validation.js';

export const messageSubscriptionSearchSpec: SearchSpec = {
  resource: 'message subscription',
  keyField: 'messageSubscriptionKey',
  filters: {
    messageSubscriptionKey: { kind: 'key' },
    processDefinitionId: { kind: 'string' },
    processInstanceKey: { kind: 'key' },
    elementId: { kind: 'string' },
    elementInstanceKey: { kind: 'key' },
    messageSubscriptionState: { kind: 'enum', field: 'state', values: ['CORRELATED', 'CREATED', 'DELETED', 'MIGRATED'] },
    messageName: { kind: 'string' },
    correlationKey: { kind: 'string' },
    tenantId: { kind: 'string' },
  },
  sort: {
    ...Object.fromEntries(
      ['messageSubscriptionKey', 'processDefinitionId', 'processInstanceKey', 'elementId', 'elementInstanceKey', 'messageName', 'correlationKey', 'tenantId'].map(
        (f) => [f, f],
      ),
    ),
    messageSubscriptionState: 'state',
  },
};

export function messageSubscriptionsRouter(api: EngineApi): Router {
  const router = Router();
  router.post('/message-subscriptions/search', async (req, res) => {
    res.json(
      await runSearch(bodyOf(req), messageSubscriptionSearchSpec, (q) => api.searchMessageSubscriptions(q), mapMessageSubscription),
    );
  });
  return router;
}
