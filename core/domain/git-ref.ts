/**
 * The shape of a git ref a person may type: every rule of `git check-ref-format` (with
 * `--allow-onelevel`, so `main` is a ref), and a few of Harbormaster's own on top: no leading `-`
 * (it would read as an option), at most 200 characters, and only plain ASCII letters, digits and
 * `. _ / - + = , @`. Each problem is said in words, so a refusal can tell the person what to fix.
 */

export const MAX_REF_LENGTH = 200;

/** Words, and the characters or parts of the ref they point at (shown as code). */
export type RefProblem = readonly ({ text: string } | { code: string })[];

/** The characters git itself refuses anywhere in a ref (besides spaces and control characters). */
const GIT_FORBIDDEN = ['~', '^', ':', '?', '*', '[', '\\'];

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;
const ALLOWED = /^[A-Za-z0-9._/+=,@-]+$/;

const said = (text: string, code?: string, after = ''): RefProblem =>
  code === undefined ? [{ text }] : [{ text }, { code }, ...(after ? [{ text: after }] : [])];

/** git's rules on each slash-separated part: none starts with `.` or ends with `.lock`. */
function componentProblem(ref: string): RefProblem | undefined {
  for (const part of ref.split('/')) {
    if (part.startsWith('.'))
      return [{ text: 'its part ' }, { code: part }, ...said(' starts with ', '.')];
    if (part.endsWith('.lock'))
      return [{ text: 'its part ' }, { code: part }, ...said(' ends with ', '.lock')];
  }
  return undefined;
}

/** git's rules on slashes and dots in the whole ref. */
function shapeProblem(ref: string): RefProblem | undefined {
  if (ref.startsWith('/')) return said('it starts with ', '/');
  if (ref.endsWith('/')) return said('it ends with ', '/');
  if (ref.includes('//')) return said('it contains ', '//');
  if (ref.includes('..')) return said('it contains ', '..');
  if (ref.endsWith('.')) return said('it ends with ', '.');
  return componentProblem(ref);
}

/**
 * What is wrong with `ref` as a git ref, or undefined when git (and Harbormaster) accept it.
 * `pattern`: `*` is allowed, standing for anything (a glob of the catalog).
 */
export function refFormatProblem(ref: string, { pattern = false } = {}): RefProblem | undefined {
  if (ref === '') return said('it is empty');
  if (ref.length > MAX_REF_LENGTH) return said(`it is longer than ${MAX_REF_LENGTH} characters`);
  if (ref.startsWith('-')) return said('it starts with ', '-');
  if (ref === '@') return said('', '@', ' alone is not a ref');
  if (CONTROL_OR_SPACE.test(ref)) return said('it contains a space or a control character');
  const forbidden = GIT_FORBIDDEN.find(
    (character) => ref.includes(character) && !(pattern && character === '*'),
  );
  if (forbidden !== undefined) return said('it contains ', forbidden, ', which git does not allow');
  if (ref.includes('@{')) return said('it contains ', '@{');
  const shape = shapeProblem(ref);
  if (shape !== undefined) return shape;
  if (!ALLOWED.test(pattern ? ref.replaceAll('*', '') || 'x' : ref))
    return said('it has a character other than letters, digits and ', '. _ / - + = , @');
  return undefined;
}

/** A problem as plain text, for a configuration error: code parts in quotes. */
export function refProblemText(problem: RefProblem): string {
  return problem.map((part) => ('code' in part ? JSON.stringify(part.code) : part.text)).join('');
}

/** A ref pattern of the catalog (`v*`, `release/*`, `refs/pull/*`): a ref in which `*` stands for anything. */
export function refPatternProblem(pattern: string): RefProblem | undefined {
  return refFormatProblem(pattern, { pattern: true });
}
