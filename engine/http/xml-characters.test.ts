import { describe, expect, it } from 'vitest';
import { xmlCharacterProblem } from './xml-characters.js';

describe('xmlCharacterProblem', () => {
  it('finds characters XML 1.0 does not allow, raw or as character references, with their line', () => {
    expect(xmlCharacterProblem('<a name="x&#0;y"/>')).toMatch(/'&#0;' on line 1/);
    expect(xmlCharacterProblem('<a>\n<b name="&#x1F;"/></a>')).toMatch(/'&#x1F;' on line 2/);
    expect(xmlCharacterProblem('<a type="job&#xD800;"/>')).toMatch(/&#xD800;/);
    expect(xmlCharacterProblem('<a>\u0000</a>')).toMatch(/U\+0000/);
    expect(xmlCharacterProblem('<a>x\ud800</a>')).toMatch(/U\+D800/);
  });

  it('leaves what XML allows alone: tabs, line breaks, a BOM, emoji, ordinary references', () => {
    expect(xmlCharacterProblem('\ufeff<a b="&#9;&#10;&#x20AC;&amp;&lt;">😀\t\r\n&#128512;</a>')).toBeUndefined();
  });
});
