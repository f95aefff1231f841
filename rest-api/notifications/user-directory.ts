/**
 * The user directory (`user_directory`, migration 0006): how the notification workers reach a person (display
 * name, email, Slack user id) and which token roles they last had. The REST API records every authenticated
 * caller (`record-callers.ts`); in embedded mode the platform seeds the development users at start:
 *
 *   await seedUserDirectory(database.knex, SEEDED_USERS);
 *
 * A value the token does not carry (no `email` claim) never erases one the directory already has, so an email
 * or Slack id set by an administrator or a seed survives tokens without it.
 *
 * It is also who the platform knows: only people in the directory can be put on a permit's teams, with the roles
 * their entry holds (`findDirectoryUsers`; rules in shared/team-rules.ts).
 */
import type { Knex } from 'knex';
import { TABLES, toDirectoryRoles } from '../../db/index.js';

export interface DirectoryEntry {
  userId: string;
  displayName: string;
  email?: string | undefined;
  slackUserId?: string | undefined;
  roles: readonly string[];
}

/** Inserts or refreshes directory entries (one statement). */
export async function upsertDirectoryEntries(knex: Knex, entries: readonly DirectoryEntry[], at: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  await knex(TABLES.userDirectory)
    .insert(
      entries.map((entry) => ({
        user_id: entry.userId,
        display_name: entry.displayName,
        email: entry.email ?? null,
        slack_user_id: entry.slackUserId ?? null,
        roles: JSON.stringify([...entry.roles]),
        updated_at: at,
      })),
    )
    .onConflict('user_id')
    .merge({
      display_name: knex.raw('excluded.display_name'),
      email: knex.raw(`coalesce(excluded.email, ${TABLES.userDirectory}.email)`),
      slack_user_id: knex.raw(`coalesce(excluded.slack_user_id, ${TABLES.userDirectory}.slack_user_id)`),
      roles: knex.raw('excluded.roles'),
      updated_at: knex.raw('excluded.updated_at'),
    });
}

/** Seeds the directory with known users (the development issuer's seeded users), e.g. `SEEDED_USERS`. */
export async function seedUserDirectory(
  knex: Knex,
  users: readonly { userId: string; name: string; email?: string; slackUserId?: string; roles: readonly string[] }[],
): Promise<void> {
  await upsertDirectoryEntries(
    knex,
    users.map((user) => ({ userId: user.userId, displayName: user.name, email: user.email, slackUserId: user.slackUserId, roles: user.roles })),
  );
}

/** The directory entries of these user ids with the token roles each last had; ids nobody knows are left out. */
export async function findDirectoryUsers(knex: Knex, userIds: readonly string[]): Promise<{ userId: string; displayName: string; roles: string[] }[]> {
  if (userIds.length === 0) return [];
  const rows = (await knex(TABLES.userDirectory).whereIn('user_id', [...new Set(userIds)]).select('user_id', 'display_name', 'roles')) as { user_id: string; display_name: string; roles: unknown }[];
  return rows.map((row) => ({ userId: row.user_id, displayName: row.display_name, roles: toDirectoryRoles(row.roles) }));
}

/** Adds an entry for someone not known yet (an administrator registering a person ahead); false when they already are. */
export async function insertDirectoryEntryIfAbsent(knex: Knex, entry: DirectoryEntry): Promise<boolean> {
  const rows = (await knex(TABLES.userDirectory)
    .insert({ user_id: entry.userId, display_name: entry.displayName, email: entry.email ?? null, slack_user_id: entry.slackUserId ?? null, roles: JSON.stringify([...entry.roles]) })
    .onConflict('user_id')
    .ignore()
    .returning('user_id')) as unknown[];
  return rows.length > 0;
}
