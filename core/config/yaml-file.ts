import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { ConfigProblem } from './config-error.js';

export type YamlParse = { ok: true; data: unknown } | { ok: false; problems: ConfigProblem[] };

/** Finds keys written twice in one mapping, which YAML would otherwise reject without a path. */
function duplicateKeys(node: Node | null, path: string[], lines: LineCounter): ConfigProblem[] {
  if (!isMap(node)) {
    if (node && 'items' in node && Array.isArray(node.items)) {
      return (node.items as Node[]).flatMap((item, index) =>
        duplicateKeys(item, [...path, String(index)], lines),
      );
    }
    return [];
  }
  const firstLine = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 0;
    const earlier = firstLine.get(key);
    if (earlier === undefined) {
      firstLine.set(key, line);
    } else {
      problems.push({
        key: [...path, key].join('.'),
        line,
        found: `it defined a second time (first at line ${earlier})`,
        expected: 'each key once; rename one of them or merge the two',
      });
    }
    problems.push(...duplicateKeys(pair.value as Node | null, [...path, key], lines));
  }
  return problems;
}

/** Parses YAML text into plain data, or into problems with line numbers. */
export function parseYamlFile(text: string): YamlParse {
  const lines = new LineCounter();
  const document = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
  });
  // Only the first syntax error: the ones after it are usually its echoes.
  const syntaxError = document.errors.at(0);
  if (syntaxError) {
    return {
      ok: false,
      problems: [
        {
          key: '(YAML syntax)',
          line: lines.linePos(syntaxError.pos[0]).line,
          found: `"${syntaxError.message.split('\n')[0] ?? syntaxError.message}"`,
          expected: 'valid YAML (check indentation, colons and quotes)',
        },
      ],
    };
  }
  const duplicates = duplicateKeys(document.contents, [], lines);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };
  return { ok: true, data: document.toJS() as unknown };
}
