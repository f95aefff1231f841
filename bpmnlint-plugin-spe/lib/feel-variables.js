/**
 * The variables a FEEL expression reads: root names of variable references, without function names, names the
 * expression binds itself (for/some/every iterators, function parameters, earlier entries of a context) and
 * filter conditions (whose names are the properties of the list's items). Parsed with feelin (lezer-feel).
 */
const { parseExpression } = require('feelin');

function childrenOf(node) {
  const nodes = [];
  for (let child = node.firstChild; child; child = child.nextSibling) nodes.push(child);
  return nodes;
}

function descendantsOf(node) {
  return childrenOf(node).flatMap((child) => [child, ...descendantsOf(child)]);
}

/** @param {string} expression FEEL without the leading `=` */
function variablesRead(expression) {
  const read = new Set();
  const text = (node) => expression.slice(node.from, node.to);
  const walk = (node, bound) => {
    switch (node.name) {
      case 'VariableName': {
        const isCallee = node.parent && node.parent.name === 'FunctionInvocation' && node.prevSibling === null;
        if (!isCallee && !bound.has(text(node))) read.add(text(node));
        return;
      }
      case 'FilterExpression':
        if (node.firstChild) walk(node.firstChild, bound);
        return;
      case 'Context': {
        const scope = new Set(bound);
        for (const entry of childrenOf(node).filter((child) => child.name === 'ContextEntry')) {
          const [key, ...value] = childrenOf(entry);
          for (const part of value) walk(part, scope);
          if (key) scope.add(text(key).replace(/^"|"$/g, ''));
        }
        return;
      }
      case 'ForExpression':
      case 'QuantifiedExpression':
      case 'FunctionDefinition': {
        const scope = new Set(bound);
        for (const name of descendantsOf(node)) {
          if (name.name === 'Name' && name.parent && ['InExpression', 'FormalParameter'].includes(name.parent.name)) scope.add(text(name));
        }
        for (const child of childrenOf(node)) walk(child, scope);
        return;
      }
      default:
        for (const child of childrenOf(node)) walk(child, bound);
    }
  };
  walk(parseExpression(expression, {}, undefined).topNode, new Set());
  return [...read];
}

module.exports = { variablesRead };
