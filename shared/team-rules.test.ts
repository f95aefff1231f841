import { describe, expect, it } from 'vitest';
import { checkTeamAdditions, describeTeamRuleViolation, type KnownUser } from './team-rules.js';

const directory = new Map<string, KnownUser>(
  [
    { userId: 'alice', roles: ['researcher'] },
    { userId: 'bob', roles: ['researcher'] },
    { userId: 'rita', roles: ['hdab-reviewer'] },
    { userId: 'hank', roles: ['researcher', 'hdab-reviewer'] },
    { userId: 'ivy', roles: ['researcher', 'hdab-reviewer'] },
    { userId: 'dana', roles: ['data-holder'] },
    { userId: 'nobody', roles: [] },
  ].map((u) => [u.userId, u]),
);
const current = [
  { userId: 'alice', teamRole: 'RESEARCH_TEAM' as const },
  { userId: 'rita', teamRole: 'HDAB_TEAM' as const },
];

describe('team rules', () => {
  it('lets each team take people with its role, and re-adding someone to their own team pass', () => {
    expect(
      checkTeamAdditions(
        [
          { userId: 'bob', teamRole: 'RESEARCH_TEAM' },
          { userId: 'hank', teamRole: 'HDAB_TEAM' },
          { userId: 'dana', teamRole: 'DATA_HOLDER' },
          { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
        ],
        current,
        directory,
      ),
    ).toEqual([]);
  });

  it('refuses unknown people, the wrong role and a second team, saying why', () => {
    const violations = checkTeamAdditions(
      [
        { userId: 'zoe', teamRole: 'RESEARCH_TEAM' },
        { userId: 'dana', teamRole: 'HDAB_TEAM' },
        { userId: 'nobody', teamRole: 'DATA_HOLDER' },
        { userId: 'hank', teamRole: 'HDAB_TEAM' },
        { userId: 'ivy', teamRole: 'RESEARCH_TEAM' },
        { userId: 'ivy', teamRole: 'HDAB_TEAM' },
      ],
      [...current, { userId: 'hank', teamRole: 'RESEARCH_TEAM' }],
      directory,
    );
    expect(violations.map((v) => `${v.index} ${v.kind}`)).toEqual(['0 unknown-user', '1 wrong-role', '2 wrong-role', '3 other-team', '5 other-team']);
    expect(violations.map(describeTeamRuleViolation)).toEqual([
      '"zoe" is not a known user, so they cannot join the research team; a person becomes known when they first sign in to the Permit Manager, or when an administrator registers them (POST /api/users)',
      '"dana" cannot join the HDAB team: it holds only people with the role hdab-reviewer, and they have data-holder',
      '"nobody" cannot join the data holders: it holds only people with the role data-holder, and they have no role',
      '"hank" is already on this permit\'s research team; a person may be on only one team of a permit (remove them there first)',
      '"ivy" is already on this permit\'s research team; a person may be on only one team of a permit (remove them there first)',
    ]);
  });

  it('counts the members left after removals of the same change', () => {
    expect(checkTeamAdditions([{ userId: 'alice', teamRole: 'HDAB_TEAM' }], [], new Map([['alice', { userId: 'alice', roles: ['hdab-reviewer'] }]]))).toEqual([]);
  });
});
