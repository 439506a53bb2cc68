/** Renders '/'-separated paths as the familiar `tree` listing, folders first in the order they were given. */
export function treeText(paths: readonly string[]): string {
  type Node = Map<string, Node>;
  const root: Node = new Map();
  for (const p of paths) {
    let n = root;
    for (const seg of p.split('/')) {
      if (!n.has(seg)) n.set(seg, new Map());
      n = n.get(seg)!;
    }
  }
  const lines: string[] = [];
  const walk = (n: Node, prefix: string) => {
    const entries = [...n.entries()];
    entries.forEach(([name, child], i) => {
      const last = i === entries.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${name}${child.size ? '/' : ''}`);
      walk(child, prefix + (last ? '    ' : '│   '));
    });
  };
  walk(root, '');
  return lines.join('\n') + '\n';
}
