/** GET /topology (a one-broker cluster) and GET /status (204 while the engine serves). */
import { Router } from 'express';
import type { EngineApi } from '../../runtime/engine-api.js';

export function topologyRouter(api: EngineApi): Router {
  const router = Router();

  router.get('/topology', (req, res) => {
    const { partitions, version } = api.topology();
    const partitionList = Array.from({ length: Math.max(1, partitions) }, (_, i) => ({
      partitionId: i + 1,
      role: 'leader' as const,
      health: 'healthy' as const,
    }));
    res.json({
      brokers: [{ nodeId: 0, host: req.hostname || 'localhost', port: req.socket.localPort ?? 8080, partitions: partitionList, version }],
      clusterSize: 1,
      partitionsCount: partitionList.length,
      replicationFactor: 1,
      gatewayVersion: version,
      lastCompletedChangeId: '-1',
    });
  });

  router.get('/status', (_req, res) => {
    res.status(204).end();
  });

  return router;
}
