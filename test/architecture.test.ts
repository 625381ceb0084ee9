import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// Arrows point one way (STYLE.md): no folder of src/ may import, even through others, a folder that imports it.
// Every directory counts as its own folder (src/safety and src/safety/outbox are two), spec files included;
// imports that leave src/ (test/support, packages) are not followed.

const root = path.resolve(__dirname, '..');
const CODE = /\.(ts|tsx|mts|cts)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return rel === 'src/web/dist' ? [] : sourceFiles(rel);
    return CODE.test(entry.name) ? [rel] : [];
  });
}

function relativeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) found.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((spec) => spec.startsWith('.'));
}

function resolveSpecifier(file: string, spec: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  const candidates = [base, ...['.ts', '.tsx', '.mts', '.cts', '.json'].map((ext) => base + ext), `${base}/index.ts`, `${base}/index.tsx`];
  return candidates.find((candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) ?? null;
}

type FolderGraph = Map<string, Map<string, string[]>>; // folder -> imported folder -> example imports

function folderGraph(): { graph: FolderGraph; unresolved: string[] } {
  const graph: FolderGraph = new Map();
  const unresolved: string[] = [];
  for (const file of sourceFiles('src')) {
    const from = path.posix.dirname(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const spec of relativeSpecifiers(file)) {
      const target = resolveSpecifier(file, spec);
      if (!target) {
        unresolved.push(`${file}: '${spec}'`);
        continue;
      }
      const to = path.posix.dirname(target);
      if (to === from || !(to === 'src' || to.startsWith('src/'))) continue;
      const imports = graph.get(from)!;
      imports.set(to, [...(imports.get(to) ?? []), `${file} -> ${target}`]);
    }
  }
  return { graph, unresolved };
}

/** Each cycle among the folders, as folder -> ... -> the same folder, with one import per arrow that makes it. */
function folderCycles(graph: FolderGraph): string[] {
  // Tarjan's strongly connected components; a component of two or more folders holds a cycle.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (folder: string): void => {
    index.set(folder, next);
    low.set(folder, next);
    next += 1;
    stack.push(folder);
    onStack.add(folder);
    for (const to of graph.get(folder)?.keys() ?? []) {
      if (!index.has(to)) {
        strongConnect(to);
        low.set(folder, Math.min(low.get(folder)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(folder, Math.min(low.get(folder)!, index.get(to)!));
    }
    if (low.get(folder) === index.get(folder)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== folder);
      if (component.length > 1) components.push(component);
    }
  };
  for (const folder of graph.keys()) if (!index.has(folder)) strongConnect(folder);

  return components.map((component) => {
    // A shortest way back from the component's first folder to itself, inside the component.
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | null = null;
    while (queue.length && !closing) {
      const folder = queue.shift()!;
      for (const to of graph.get(folder)?.keys() ?? []) {
        if (!members.has(to)) continue;
        if (to === start) {
          closing = folder;
          break;
        }
        if (!previous.has(to)) {
          previous.set(to, folder);
          queue.push(to);
        }
      }
    }
    const loop = [start];
    for (let folder = closing!; folder !== start; folder = previous.get(folder)!) loop.splice(1, 0, folder);
    loop.push(start);
    const arrows = loop.slice(0, -1).map((folder, i) => `    ${graph.get(folder)!.get(loop[i + 1]!)![0]}`);
    return `${loop.join(' -> ')}\n${arrows.join('\n')}`;
  });
}

describe('Architecture: the folders of src/ import one way', function () {
  const { graph, unresolved } = folderGraph();

  it('resolves every relative import in src/ to a file', () => {
    assert.deepEqual(unresolved, []);
    // The graph is read from the sources, not assumed: an arrow known to exist is found.
    assert.ok(graph.get('src/checkins')?.has('src/alerts'), 'src/checkins imports src/alerts (its duress and missed check-ins open alerts)');
  });

  it('has no folder that imports, even through other folders, a folder that imports it', () => {
    const cycles = folderCycles(graph);
    assert.equal(cycles.length, 0, `import cycles between folders:\n${cycles.join('\n')}`);
  });

  it('keeps src/shared free of any domain: it imports nothing else of src/', () => {
    const imports = [...(graph.get('src/shared') ?? new Map<string, string[]>())].flatMap(([, examples]) => examples);
    assert.deepEqual(imports, []);
  });

  it('finds and names a cycle, also one that runs through a third folder', () => {
    const edge = (from: string, to: string): [string, string[]] => [to, [`${from}/x.ts -> ${to}/y.ts`]];
    const cyclic: FolderGraph = new Map([
      ['src/a', new Map([edge('src/a', 'src/b')])],
      ['src/b', new Map([edge('src/b', 'src/c')])],
      ['src/c', new Map([edge('src/c', 'src/a')])],
      ['src/d', new Map([edge('src/d', 'src/a')])],
    ]);
    const cycles = folderCycles(cyclic);
    assert.equal(cycles.length, 1);
    assert.match(cycles[0]!, /^src\/a -> src\/b -> src\/c -> src\/a\n {4}src\/a\/x\.ts -> src\/b\/y\.ts\n/);
    assert.deepEqual(folderCycles(new Map([['src/a', new Map([edge('src/a', 'src/b')])]])), []);
  });
});
