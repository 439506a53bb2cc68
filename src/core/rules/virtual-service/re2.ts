// A cheap RE2 compatibility screen for route regexes. Istio compiles them with Go's RE2, which has no lookaround
// and no backreferences; JavaScript's engine accepts both (and rejects some RE2 syntax), so neither engine can
// stand in for the other. This scan reports only what is certainly wrong for RE2.

/** Why RE2 would reject `re`, or undefined when nothing certain was found. */
export function re2Problem(re: string): string | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      if (i + 1 >= re.length) return 'it ends with a lone backslash';
      const n = re[i + 1];
      if (!inClass && n >= '1' && n <= '9') return `backreference "\\${n}" is not supported by RE2`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A leading "]" (or "^]") is a literal inside the class.
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') {
      if (re.startsWith('(?=', i) || re.startsWith('(?!', i) || re.startsWith('(?<=', i) || re.startsWith('(?<!', i)) {
        return 'lookaround assertions are not supported by RE2';
      }
      depth++;
    } else if (c === ')') {
      if (depth === 0) return 'it has an unmatched ")"';
      depth--;
    }
  }
  if (inClass) return 'it has an unclosed "["';
  if (depth > 0) return 'it has an unclosed "("';
  return undefined;
}
