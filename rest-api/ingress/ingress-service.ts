/**
 * Data ingress: the HDAB opens the ingress airlock for the named data holders (who join the permit's team as
 * DATA_HOLDER; each must be a known data holder on no other team of the permit), and each data holder confirms
 * their upload with a manifest. The process scans the upload and moves the permit on.
 *
 * Opening ingress writes locally and tells the process, so it goes through the engine-command outbox
 * (docs/adr/0006-engine-commands.md): every check first (the people, the version, that the process waits for the
 * message now: else 409 and nothing written); then one transaction adds the data holders, bumps the permit's
 * version, writes both audit entries, the members event and the engine command; after the commit the message is
 * published with the command's id, and a failed publication is left to the engine-command relay. The process
 * waits for this message once per permit, so a second one is refused while the first is pending or delivered.
 */
import type { Logger } from 'pino';
import { MESSAGES } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitView } from '../permits/permit-access.js';
import { processNotWaiting } from '../permits/permit-actions.js';
import { auditActionOf, createActionRunner, intentKeyOf } from '../permits/permit-action-runner.js';
import { deliverEngineCommand } from '../permits/engine-command-relay.js';
import { checkMessageVariables, correlationKeyFor } from '../permits/permit-messages.js';
import type { PermitStore } from '../permits/permit-store.js';
import { prepareTeamCheck } from '../team/member-rules.js';
import type { TeamStore } from '../team/team-store.js';
import type { UserDirectory } from '../team/user-directory-port.js';

export interface UploadManifest {
  files: { path: string; sha256: string; sizeBytes: number }[];
  note?: string | undefined;
}

export interface IngressServiceDeps {
  access: PermitAccess;
  engine: EnginePort;
  permits: Pick<PermitStore, 'runOnce'>;
  team: Pick<TeamStore, 'addAndSend'>;
  directory: UserDirectory;
  /** Where a message left to the engine-command relay is logged; default: not logged. */
  logger?: Logger;
}

export type IngressService = ReturnType<typeof createIngressService>;

export function createIngressService(deps: IngressServiceDeps) {
  const run = createActionRunner({ access: deps.access, engine: deps.engine, store: deps.permits, ...(deps.logger ? { logger: deps.logger } : {}) });
  return {
    async initiate(caller: Caller, permitId: string, input: { dataHolders: string[] }, expectedVersion?: number): Promise<PermitView> {
      const context = await deps.access.forAction(caller, permitId, 'initiate-ingress', expectedVersion);
      const dataHolders = [...new Set(input.dataHolders)];
      const message = MESSAGES.ingressInitiationRequested;
      const variables = { dataHolders, initiatedBy: caller.userId };
      checkMessageVariables(message, variables);
      const check = await prepareTeamCheck(
        deps.directory,
        input.dataHolders.map((userId, index) => ({ userId, teamRole: 'DATA_HOLDER' as const, path: `body.dataHolders[${index}]` })),
      );
      const correlationKey = correlationKeyFor(message, { permitId });
      if (!(await deps.engine.isWaitingFor(message, correlationKey))) throw processNotWaiting('initiate-ingress', context.permit, caller, context.membership);
      const messageId = intentKeyOf('initiate-ingress', correlationKey, variables)(context.permit.version);
      const { delivery } = await deps.team.addAndSend(
        {
          permitId,
          members: dataHolders.map((userId) => ({ userId, teamRole: 'DATA_HOLDER' as const })),
          actor: caller.userId,
          expectedVersion,
          auditAction: 'team.data-holders-added',
          guard: check,
        },
        {
          command: { messageId, permitId, messageName: message, correlationKey, variables },
          checkedVersion: context.permit.version,
          audit: { actor: caller.userId, action: auditActionOf('initiate-ingress'), permitId, details: { message, variables } },
          oncePerPermit: true,
          what: 'opening ingress',
        },
        async (command) => {
          await deliverEngineCommand(deps.engine, command);
        },
      );
      if (delivery.outcome === 'pending') {
        deps.logger?.warn({ err: delivery.error, permitId, messageId }, 'ingress opened; its message is not delivered yet, the engine-command relay delivers it');
      }
      return deps.access.reload(caller, permitId);
    },

    confirmUpload(caller: Caller, permitId: string, manifest: UploadManifest, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'confirm-upload',
        expectedVersion,
        message: MESSAGES.ingressUploadConfirmed,
        correlation: { dataHolder: caller.userId },
        variables: { uploadManifest: manifest, confirmedBy: caller.userId },
      });
    },
  };
}
