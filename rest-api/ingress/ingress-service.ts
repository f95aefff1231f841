/**
 * Data ingress: the HDAB opens the ingress airlock for the named data holders (who join the permit's team as
 * DATA_HOLDER in the same transaction as the message is accepted; each must be a known data holder on no other
 * team of the permit), and each data holder confirms their upload with a manifest. The process scans the upload
 * and moves the permit on.
 */
import { MESSAGES } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitView } from '../permits/permit-access.js';
import { processNotWaiting } from '../permits/permit-actions.js';
import { auditActionOf, createActionRunner } from '../permits/permit-action-runner.js';
import { sendPermitMessage } from '../permits/permit-messages.js';
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
  permits: Pick<PermitStore, 'audit' | 'runOnce'>;
  team: Pick<TeamStore, 'add'>;
  directory: UserDirectory;
}

export type IngressService = ReturnType<typeof createIngressService>;

export function createIngressService(deps: IngressServiceDeps) {
  const run = createActionRunner({ access: deps.access, engine: deps.engine, store: deps.permits });
  return {
    async initiate(caller: Caller, permitId: string, input: { dataHolders: string[] }, expectedVersion?: number): Promise<PermitView> {
      const context = await deps.access.forAction(caller, permitId, 'initiate-ingress', expectedVersion);
      const dataHolders = [...new Set(input.dataHolders)];
      const variables = { dataHolders, initiatedBy: caller.userId };
      const check = await prepareTeamCheck(
        deps.directory,
        input.dataHolders.map((userId, index) => ({ userId, teamRole: 'DATA_HOLDER' as const, path: `body.dataHolders[${index}]` })),
      );
      await deps.team.add(
        {
          permitId,
          members: dataHolders.map((userId) => ({ userId, teamRole: 'DATA_HOLDER' as const })),
          actor: caller.userId,
          expectedVersion,
          auditAction: 'team.data-holders-added',
          guard: check,
        },
        async () => {
          const taken = await sendPermitMessage(deps.engine, MESSAGES.ingressInitiationRequested, { permitId }, variables);
          if (!taken) throw processNotWaiting('initiate-ingress', context.permit, caller, context.membership);
        },
      );
      await deps.permits.audit({ actor: caller.userId, action: auditActionOf('initiate-ingress'), permitId, details: { message: MESSAGES.ingressInitiationRequested, variables } });
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
