/**
 * The Permit Manager's feature modules, wired: stores on one knex, services on the stores and the engine port,
 * routers on the services. The entry file creates the knex and the Camunda client; tests hand in fakes.
 */
import type { Knex } from 'knex';
import { createAuditRouter } from './audit/audit-router.js';
import { createAuditFeature } from './audit/create-audit-feature.js';
import { createEgressRouter } from './egress/egress-router.js';
import { createEgressFeature } from './egress/create-egress-feature.js';
import { createEgressFilesRouter } from './egress/egress-files-router.js';
import { createEgressFilesService } from './egress/egress-files-service.js';
import { createKnexEgressFilesStore } from './egress/knex-egress-files-store.js';
import type { AirlockStore } from '../airlock/store/airlock-store.js';
import type { EnginePort } from './engine/engine-port.js';
import { createIngressRouter } from './ingress/ingress-router.js';
import { createIngressFeature } from './ingress/create-ingress-feature.js';
import { createIngressUploadsRouter } from './ingress/ingress-uploads-router.js';
import { createLifecycleActionsRouter } from './lifecycle-actions/lifecycle-actions-router.js';
import { createLifecycleActionsService } from './lifecycle-actions/lifecycle-actions-service.js';
import { createNotificationDeliveriesRouter } from './notifications/notification-deliveries-router.js';
import { createNotificationsRouter } from './notifications/notifications-router.js';
import { createNotificationDeliveriesFeature } from './notifications/create-notification-deliveries-feature.js';
import { createNotificationsFeature } from './notifications/create-notifications-feature.js';
import { createOperationsRouter } from './operations/operations-router.js';
import { createOperationsService } from './operations/operations-service.js';
import { createPermitsFeature } from './permits/create-permits-feature.js';
import { createPermitsRouter } from './permits/permits-router.js';
import type { FeatureRouter } from './platform/define-route.js';
import type { ProcessInspector } from './process-view/process-inspector.js';
import { createProcessViewRouter } from './process-view/process-view-router.js';
import { createProcessViewService } from './process-view/process-view-service.js';
import { createReviewsRouter } from './reviews/reviews-router.js';
import { createReviewsFeature } from './reviews/create-reviews-feature.js';
import { createTasksRouter } from './tasks/tasks-router.js';
import { createTasksService } from './tasks/tasks-service.js';
import { createTaskWorkRouter } from './task-work/task-work-router.js';
import { createTaskWorkService } from './task-work/task-work-service.js';
import { createTeamRouter } from './team/team-router.js';
import { createTeamFeature } from './team/create-team-feature.js';
import { createKnexUserDirectory } from './team/knex-user-directory.js';
import { createUsersRouter } from './users/users-router.js';
import { createUsersFeature } from './users/create-users-feature.js';
import { createWorkspacesRouter } from './workspaces/workspaces-router.js';
import { createWorkspacesFeature } from './workspaces/create-workspaces-feature.js';

export interface FeatureDeps {
  knex: Knex;
  engine: EnginePort;
  /** Process instances, diagrams and incidents for the web app's process view and operators (omitted: those routes are off). */
  inspector?: ProcessInspector;
  /** User ids put on every new permit's HDAB team (the seeded reviewers in embedded mode; empty in production). */
  defaultHdabTeam: readonly string[];
  /** The airlock store (issue 16): with it, output requests carry files from the outputs zone, checked on submission, released and downloaded. */
  airlock?: AirlockStore;
  /** With `airlock`: where data holders' resumable (tus) uploads wait until complete (AIRLOCK_UPLOAD_DIR); turns the ingress upload routes on. */
  ingressUploadDir?: string;
  now?: () => Date;
}

export function createFeatureServices(deps: FeatureDeps) {
  const directory = createKnexUserDirectory(deps.knex);
  const { service: permits, store: permitStore, access } = createPermitsFeature({ knex: deps.knex, engine: deps.engine, defaultHdabTeam: deps.defaultHdabTeam, directory, ...(deps.now ? { now: deps.now } : {}) });
  const common = { access, engine: deps.engine };

  const team = createTeamFeature({ knex: deps.knex, access, permits: permitStore, directory });
  const uploads = deps.airlock && deps.ingressUploadDir ? { airlock: deps.airlock, dir: deps.ingressUploadDir, ...(deps.now ? { now: deps.now } : {}) } : undefined;
  const { service: ingress, uploads: ingressUploads } = createIngressFeature({ knex: deps.knex, ...common, permits: permitStore, directory, uploads });
  const egressFiles = createKnexEgressFilesStore(deps.knex);
  const { service: egress, store: egressStore } = createEgressFeature({ knex: deps.knex, ...common, ...(deps.airlock ? { airlock: deps.airlock, files: egressFiles } : {}) });
  const egressFileService = deps.airlock ? createEgressFilesService({ access, airlock: deps.airlock, files: egressFiles, egress: egressStore }) : undefined;
  const reviews = createReviewsFeature({ knex: deps.knex, ...common, permits: permitStore, egress: egressStore });
  const lifecycle = createLifecycleActionsService({ ...common, permits: permitStore, directory });
  const tasks = createTasksService({ ...common, permits: permitStore, reviews });
  const audit = createAuditFeature({ knex: deps.knex, access });
  const notifications = createNotificationsFeature({ knex: deps.knex, ...(deps.now ? { now: deps.now } : {}) });
  const notificationDeliveries = createNotificationDeliveriesFeature({ knex: deps.knex, access });
  const workspaces = createWorkspacesFeature({ knex: deps.knex, access });
  const users = createUsersFeature({ knex: deps.knex });
  const taskWork = createTaskWorkService({ engine: deps.engine, access });
  const processView = deps.inspector ? createProcessViewService({ access, inspector: deps.inspector }) : undefined;
  const operations = deps.inspector ? createOperationsService({ inspector: deps.inspector, permits: permitStore }) : undefined;
  return { permits, team, ingress, ingressUploads, egress, egressFiles: egressFileService, reviews, lifecycle, tasks, audit, notifications, notificationDeliveries, workspaces, users, taskWork, processView, operations };
}

export type FeatureServices = ReturnType<typeof createFeatureServices>;

/** Every feature router of the Permit Manager except events (the events helper's `rest-api/events/`). */
export function createFeatureRouters(deps: FeatureDeps): FeatureRouter[] {
  const services = createFeatureServices(deps);
  return [
    createPermitsRouter({ service: services.permits }),
    createTeamRouter({ service: services.team }),
    createIngressRouter({ service: services.ingress }),
    ...(services.ingressUploads ? [createIngressUploadsRouter({ service: services.ingressUploads })] : []),
    createReviewsRouter({ service: services.reviews }),
    createEgressRouter({ service: services.egress }),
    ...(services.egressFiles ? [createEgressFilesRouter({ service: services.egressFiles })] : []),
    createLifecycleActionsRouter({ service: services.lifecycle }),
    createTasksRouter({ service: services.tasks }),
    createAuditRouter({ service: services.audit }),
    createNotificationsRouter({ service: services.notifications }),
    createNotificationDeliveriesRouter({ service: services.notificationDeliveries }),
    createWorkspacesRouter({ service: services.workspaces }),
    createUsersRouter({ service: services.users }),
    createTaskWorkRouter({ service: services.taskWork }),
    ...(services.processView ? [createProcessViewRouter({ service: services.processView })] : []),
    ...(services.operations ? [createOperationsRouter({ service: services.operations })] : []),
  ];
}
