/**
 * Characters XML 1.0 does not allow (its `Char` production): C0 controls other than tab, line feed and carriage
 * return, lone surrogates, U+FFFE and U+FFFF. A Java XML parser, as Zeebe's, refuses a resource holding one, raw
 * or as a character reference (`&#0;`); saxen, which reads BPMN and DMN here, decodes them. A NUL in an element
 * name then deployed fine and every instance start failed with 503, as PostgreSQL cannot store it.
 */

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

const CHARACTER_REFERENCE = /&#(x[0-9a-fA-F]+|[0-9]+);/g;

/** The first character XML does not allow in `text` (raw or referenced), with its line, or undefined. */
export function xmlCharacterProblem(text: string): string | undefined {
  const lineOf = (index: number): number => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(CHARACTER_REFERENCE)) {
    const digits = match[1]!;
    const code = digits.startsWith('x') ? Number.parseInt(digits.slice(1), 16) : Number.parseInt(digits, 10);
    if (!isXmlChar(code)) return `the character reference '${match[0]}' on line ${lineOf(match.index)} is a character XML does not allow`;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) {
      i++;
      continue;
    }
    if (!isXmlChar(code)) return `line ${lineOf(i)} holds the character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which XML does not allow`;
  }
  return undefined;
}
