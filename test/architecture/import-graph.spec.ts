import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/*
 * The import graph of the libraries and apps (README, "Architecture"). Each module (a folder
 * under libs/ or apps/) has a layer; production code imports only modules of lower layers, so
 * it has no cycle either. Test code (specs, contract suites, testing/) reaches up only where
 * TEST_FIXTURES_FROM_ABOVE says why.
 */
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

const LAYERS: Record<string, number> = {
  'libs/config': 0,
  'libs/client': 0,
  'libs/sqlite': 0,
  'libs/event-store': 1,
  'libs/document-store': 1,
  'libs/eventsourcing': 2,
  'libs/personal-data': 3,
  'libs/auth': 3,
  'libs/projections': 3,
  'libs/http': 4,
  'libs/event-stream': 5,
  'libs/observability': 5,
  // Features: one may use a feature below it (workspace < contacts < profiles).
  'libs/workspace': 6,
  'libs/contacts': 7,
  'libs/profiles': 8,
  'apps/shared': 9,
  'apps/api': 10,
  'apps/projector': 10,
  'apps/cli': 10,
  'apps/client-generator': 11,
  'apps/event-docs': 10,
};

/** Tests of a lower library that run it with a real feature as a fixture. */
const TEST_FIXTURES_FROM_ABOVE: Record<string, string> = {
  'libs/projections -> libs/contacts': 'the runtime is tested on a real log of contact events (ContactLog) and the contact projections',
  'libs/eventsourcing -> libs/workspace': 'the AggregateStore is tested with the workspace permissions decider',
  'libs/event-store -> libs/eventsourcing': 'the EventStoreDB adapter is tested under the AggregateStore (truncated streams)',
};

type Edge = { from: string; to: string; file: string; test: boolean };

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function moduleOf(path: string): string {
  return path.split('/').slice(0, 2).join('/');
}

function edges(): Edge[] {
  const specifier = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  return [...sourceFiles('libs'), ...sourceFiles('apps')].flatMap((file) => {
    const test = /\.(spec|contract)\.ts$/.test(file) || file.includes('/testing/');
    return [...readFileSync(join(ROOT, file), 'utf8').matchAll(specifier)]
      .map((match) => ({ from: moduleOf(file), to: moduleOf(normalize(relative(ROOT, join(ROOT, dirname(file), match[1]!)))), file, test }))
      .filter((edge) => edge.from !== edge.to);
  });
}

/** Module-level cycles, as `a -> b -> a` paths. */
function cycles(graph: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of graph) next.set(from, (next.get(from) ?? new Set()).add(to));
  const found = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    if (path.includes(node)) {
      found.add([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    for (const to of next.get(node) ?? []) visit(to, [...path, node]);
  };
  for (const node of next.keys()) visit(node, []);
  return [...found];
}

describe('the import graph', () => {
  const graph = edges();

  it('gives every module a layer', () => {
    const modules = new Set(graph.flatMap(({ from, to }) => [from, to]));
    expect([...modules].filter((module) => LAYERS[module] === undefined)).toEqual([]);
  });

  it('has production code import only lower layers', () => {
    const upward = graph.filter((edge) => !edge.test && LAYERS[edge.to]! >= LAYERS[edge.from]!);
    expect(upward.map(({ file, to }) => `${file} imports ${to}`)).toEqual([]);
  });

  it('has no cycle between modules', () => {
    expect(cycles(graph.filter((edge) => !edge.test))).toEqual([]);
  });

  it('has test code reach up only for the fixtures listed', () => {
    const upward = new Set(graph.filter((edge) => edge.test && LAYERS[edge.to]! >= LAYERS[edge.from]!).map(({ from, to }) => `${from} -> ${to}`));
    expect([...upward].filter((pair) => !TEST_FIXTURES_FROM_ABOVE[pair]).sort()).toEqual([]);
  });
});
