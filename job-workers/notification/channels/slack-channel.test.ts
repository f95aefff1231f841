import { describe, expect, it } from 'vitest';
import type { OutgoingNotification } from './notification-channel.js';
import { createSlackChannel, parseSlackChannels } from './slack-channel.js';

const notification = (audience: OutgoingNotification['audience']): OutgoingNotification => ({
  idempotencyKey: 'notification.send/P-1/1',
  permitId: 'P-1',
  template: 'setup-review-requested',
  audience,
  critical: false,
  content: { subject: 's', text: 't', html: 'h', slack: { text: 't', blocks: [] }, inApp: 'i', link: 'l' },
});
const people = [
  { userId: 'alice', displayName: 'Alice', slackUserId: 'U1' },
  { userId: 'bob', displayName: 'Bob' },
];

describe('parseSlackChannels', () => {
  it('reads audience=channel pairs', () => {
    expect(parseSlackChannels(' hdab-reviewers=#hdab-reviews , operators=C0123 ')).toEqual({ 'hdab-reviewers': '#hdab-reviews', operators: 'C0123' });
    expect(parseSlackChannels(undefined)).toEqual({});
    expect(parseSlackChannels('')).toEqual({});
  });

  it('names the bad pair or audience', () => {
    expect(() => parseSlackChannels('hdab-reviewers')).toThrow('SLACK_CHANNELS: "hdab-reviewers" is not audience=channel');
    expect(() => parseSlackChannels('reviewers=#x')).toThrow('SLACK_CHANNELS: "reviewers" is not an audience (one of research-team, hdab-reviewers');
  });
});

describe('Slack targets', () => {
  const slack = createSlackChannel({ token: 'xoxb-test', channels: { 'hdab-reviewers': '#hdab-reviews' } });

  it('posts once in the channel of the audience when it has one', () => {
    expect(slack.targets!(notification('hdab-reviewers'), people)).toEqual([{ recipient: '#hdab-reviews', address: '#hdab-reviews' }]);
  });

  it('otherwise messages each person with a Slack id directly', () => {
    expect(slack.targets!(notification('research-team'), people)).toEqual([{ recipient: 'alice', user: people[0], address: 'U1' }]);
  });
});
