/**
 * Links in messages point at the portal under `publicUrl` (PUBLIC_URL): the permit page, the task list filtered to
 * the permit, the permit's ingress, workspace or output-request page. One place, so the routes are easy to change.
 */
import type { LinkTarget } from './template-catalog.js';

export interface LinkInput {
  permitId: string;
  egressRequestId?: string | undefined;
}

export function permitLink(publicUrl: string, permitId: string): string {
  return `${base(publicUrl)}/permits/${encodeURIComponent(permitId)}`;
}

export function notificationLink(publicUrl: string, target: LinkTarget, input: LinkInput): string {
  const permit = permitLink(publicUrl, input.permitId);
  switch (target) {
    case 'permit':
      return permit;
    case 'tasks':
      return `${base(publicUrl)}/tasks?permitId=${encodeURIComponent(input.permitId)}`;
    case 'ingress':
      return `${permit}/ingress`;
    case 'workspace':
      return `${permit}/workspace`;
    case 'egress-request':
      return input.egressRequestId ? `${permit}/egress-requests/${encodeURIComponent(input.egressRequestId)}` : permit;
  }
}

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}
