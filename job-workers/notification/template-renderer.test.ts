import { describe, expect, it, vi } from 'vitest';
import { compileTemplate, TemplateSyntaxError, TemplateVariableError } from './template-renderer.js';

const strict = { strict: true };

describe('compileTemplate', () => {
  it('inserts values and lists the names it uses', () => {
    const template = compileTemplate('Permit {{permitTitle}} ({{ permitId }}) expires in {{days}} days', 'text', 't/text.txt');
    expect(template.render({ permitTitle: 'Diabetes', permitId: 'P-1', days: 7 }, strict)).toBe('Permit Diabetes (P-1) expires in 7 days');
    expect(template.names).toEqual(['permitTitle', 'permitId', 'days']);
  });

  it('escapes values in HTML, but not the template itself', () => {
    const template = compileTemplate('<p title="{{title}}">{{comment}}</p>', 'html', 't/html.html');
    expect(template.render({ title: 'a "quoted" title', comment: '<script>alert(1)</script> & \'x\'' }, strict)).toBe(
      '<p title="a &quot;quoted&quot; title">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;</p>',
    );
  });

  it('escapes values for a JSON string and for Slack mrkdwn in slack-json', () => {
    const template = compileTemplate('{"text": "{{comment}}"}', 'slack-json', 't/slack.json');
    const rendered = template.render({ comment: 'line 1\n"quoted" <@U123> & more\\' }, strict);
    expect(JSON.parse(rendered)).toEqual({ text: 'line 1\n"quoted" &lt;@U123&gt; &amp; more\\' });
  });

  it('leaves values alone in text', () => {
    expect(compileTemplate('{{comment}}', 'text', 't').render({ comment: '<b>&</b>' }, strict)).toBe('<b>&</b>');
  });

  it('renders a section only when the value is present, and an inverted section only when it is absent', () => {
    const template = compileTemplate('A{{#comment}} comment: {{comment}}{{/comment}}{{^comment}} (no comment){{/comment}}.', 'text', 't');
    expect(template.render({ comment: 'fine' }, strict)).toBe('A comment: fine.');
    expect(template.render({ comment: null }, strict)).toBe('A (no comment).');
    expect(template.render({ comment: '' }, strict)).toBe('A (no comment).');
    expect(template.render({ comment: 0 }, strict)).toBe('A comment: 0.');
  });

  it('nests sections', () => {
    const template = compileTemplate('{{#a}}[{{#b}}{{b}}{{/b}}]{{/a}}', 'text', 't');
    expect(template.render({ a: 'x', b: 'y' }, strict)).toBe('[y]');
    expect(template.render({ a: 'x', b: null }, strict)).toBe('[]');
    expect(template.render({ a: null, b: 'y' }, strict)).toBe('');
  });

  it('throws in strict mode on a name the context does not have, naming the file and the name', () => {
    const template = compileTemplate('Hello {{permitTitel}}', 'text', 'workspace-ready/text.txt');
    expect(() => template.render({ permitTitle: 'x' }, strict)).toThrow(TemplateVariableError);
    expect(() => template.render({ permitTitle: 'x' }, strict)).toThrow('template workspace-ready/text.txt uses {{permitTitel}}, which the notification context does not have');
  });

  it('throws in strict mode for a missing section name too', () => {
    const template = compileTemplate('{{#reason}}x{{/reason}}', 'text', 't');
    expect(() => template.render({}, strict)).toThrow(TemplateVariableError);
  });

  it('renders a missing name empty and reports it when not strict', () => {
    const onMissing = vi.fn();
    const template = compileTemplate('Hello {{nobody}}!', 'text', 't');
    expect(template.render({}, { strict: false, onMissing })).toBe('Hello !');
    expect(onMissing).toHaveBeenCalledWith('nobody');
  });

  it('refuses unclosed and mismatched sections when compiling', () => {
    expect(() => compileTemplate('{{#a}} open', 'text', 'x/text.txt')).toThrow(new TemplateSyntaxError('template x/text.txt: {{#a}} is never closed'));
    expect(() => compileTemplate('{{#a}}{{/b}}', 'text', 'x/text.txt')).toThrow('{{/b}} closes {{#a}}');
    expect(() => compileTemplate('\n{{/b}}', 'text', 'x/text.txt')).toThrow('{{/b}} closes nothing (line 2)');
  });

  it('keeps text that only looks like a tag', () => {
    expect(compileTemplate('{ {a}} {{ }} {{1x}}', 'text', 't').render({}, strict)).toBe('{ {a}} {{ }} {{1x}}');
  });
});
