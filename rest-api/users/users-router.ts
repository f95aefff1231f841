/** HTTP edge of the users feature: look a person up (HDAB reviewers, administrators) and register one ahead (administrators). */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { KnownUserSchema, RegisterUserBody, UserIdParams } from './users-schemas.js';
import type { UsersService } from './users-service.js';

const TAGS = ['Users'];

export function createUsersRouter(deps: { service: UsersService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'users',
    routes: [
      defineRoute({
        method: 'get',
        path: '/users/{userId}',
        summary: 'A known person and their roles (who can be put on which team)',
        tags: TAGS,
        auth: 'bearer',
        roles: ['hdab-reviewer', 'admin'],
        request: { params: UserIdParams },
        responses: { 200: { description: 'The directory entry', body: KnownUserSchema } },
        problems: [404],
        handler: ({ params }) => service.get(params.userId),
      }),
      defineRoute({
        method: 'post',
        path: '/users',
        summary: 'Register a person before their first sign-in, so they can be put on a team (administrators)',
        tags: TAGS,
        auth: 'bearer',
        roles: ['admin'],
        request: { body: RegisterUserBody },
        responses: { 201: { description: 'Registered', body: KnownUserSchema } },
        problems: [409],
        handler: ({ body }) => service.register(body),
      }),
    ],
  };
}
