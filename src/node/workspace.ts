import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceIndex } from '../core/index/workspace-index';
import { parseConfig, DEFAULT_CONFIG, type MeshtlsConfig } from '../core/config';
import type { Finding } from '../core/types';
import { walk, readCapped, mapLimit, MATERIAL_FILE, type ReadResult } from './walk';
import { decodeYamlBytes } from '../core/yaml/decode';
import { hostKindOf } from '../core/yaml/embedded';
import { ENGINE_RULES } from '../core/rules/engine-rules';
import { placementOf } from '../core/index/placement';
import { renderKustomization, type KustomizeBinary } from './kustomize';

export const CONFIG_FILE = '.meshtls.yaml';

/**
 * Reads at most this many files at once: each read holds a descriptor, and under `ulimit -n 256` (the macOS default)
 * opening every file of a big repository at once failed for the rest.
 */
const READ_CONCURRENCY = 16;

/** A problem with what the user named (a missing `--config`): a clear message and exit 2, never a stack trace. */
export class InputError extends Error {
  override name = 'InputError';
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Finds `.meshtls.yaml` in `start` or its ancestors; only a regular file counts (a FIFO of that name would block). */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const p = path.join(dir, CONFIG_FILE);
    if (isFile(p)) return p;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export interface LoadedWorkspace {
  index: WorkspaceIndex;
  config: MeshtlsConfig;
  /** Findings about the files themselves (unreadable, too large, binary, bad config). */
  ioFindings: Finding[];
  /** Files that could not be read at all (reported, not linted); `unreadable` ones fail the run. */
  skipped: { id: string; reason: string; unreadable?: boolean }[];
  /** YAML files, plus scripts and Markdown pages that hold YAML documents. */
  yamlCount: number;
  /** Text of files by id, for positions. */
  texts: Map<string, string>;
}

export function fileId(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

/** Text read from standard input, linted as if it were the file `id`. */
export interface StreamInput {
  id: string;
  bytes: Uint8Array;
}

/**
 * Reads every input into a fresh index. Never throws for a bad file: it becomes a finding or a skip. A `stream`
 * (standard input) is indexed first, so its resources come before the workspace's copies of the same objects, and it
 * replaces a workspace file of the same id (like an editor's unsaved buffer).
 */
/**
 * Which walked files to load, for a command that needs only some of them (`inspect FILE` resolves one file's
 * credentials): `file` decides before reading, `content` after (a dropped file's bytes are released at once, so memory
 * stays with what is kept). Dropped files are neither indexed nor reported.
 */
export interface LoadSelection {
  file?(f: { id: string; kind: 'yaml' | 'material' }): boolean;
  content?(f: { id: string; kind: 'yaml' | 'material' }, bytes: Buffer): boolean;
}

export async function loadWorkspace(inputs: string[], opts: { cwd: string; configPath?: string; stream?: StreamInput; kustomize?: KustomizeBinary; select?: LoadSelection }): Promise<LoadedWorkspace> {
  const index = new WorkspaceIndex();
  const texts = new Map<string, string>();
  const ioFindings: Finding[] = [];
  const skipped: LoadedWorkspace['skipped'] = [];
  const stream = opts.stream;
  if (stream) {
    // Decoded like a file (UTF-16 with a BOM, CR-only line ends), so piped output of a Windows tool reads the same.
    const text = decodeYamlBytes(stream.bytes) ?? new TextDecoder('utf-8', { ignoreBOM: true }).decode(stream.bytes);
    texts.set(stream.id, text);
    if (hostKindOf(stream.id) || MATERIAL_FILE.test(stream.id)) index.setOtherFile(stream.id, stream.bytes);
    else index.setYamlFile(stream.id, text);
  }
  // With only a stream, the configuration is looked up from where its name says it lives.
  const firstDir = inputs.length ? path.resolve(opts.cwd, inputs[0]) : stream ? path.dirname(path.resolve(opts.cwd, stream.id)) : opts.cwd;
  const configPath = opts.configPath !== undefined ? path.resolve(opts.cwd, opts.configPath) : findConfig(isDirectory(firstDir) ? firstDir : path.dirname(firstDir));
  let config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  if (configPath) {
    const id = fileId(configPath, opts.cwd);
    let read: ReadResult;
    try {
      read = await readCapped(configPath);
    } catch (err) {
      read = { skipped: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, unreadable: true };
    }
    if ('skipped' in read) {
      if (opts.configPath !== undefined) throw new InputError(`--config ${opts.configPath}: ${read.skipped}.`);
      skipped.push({ id, reason: read.skipped, unreadable: true });
    } else {
      const text = decodeYamlBytes(read.bytes) ?? '';
      texts.set(id, text);
      const parsed = parseConfig(text);
      config = parsed.config;
      config.configFile = id;
      config.configDir = fileId(path.dirname(configPath), opts.cwd) || '.';
      for (const p of parsed.problems) ioFindings.push(ENGINE_RULES.configInvalid.make(id, p.message, p.offset));
    }
  }
  const walked = await walk(inputs, { root: opts.cwd, ignore: config.ignore });
  const select = opts.select;
  const files = select?.file ? walked.files.filter((f) => select.file!({ id: fileId(f.abs, opts.cwd), kind: f.kind })) : walked.files;
  for (const s of walked.skipped) skipped.push({ id: fileId(s.abs, opts.cwd), reason: s.reason, unreadable: s.unreadable });
  const reads = await mapLimit(files, READ_CONCURRENCY, async (f): Promise<ReadResult | 'dropped'> => {
    let read: ReadResult;
    try {
      read = await readCapped(f.abs);
    } catch (err) {
      return { skipped: `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, unreadable: true };
    }
    if (select?.content && 'bytes' in read && !select.content({ id: fileId(f.abs, opts.cwd), kind: f.kind }, read.bytes)) return 'dropped';
    return read;
  });
  // Indexed in walk order, whatever order the reads finished in, so output never depends on timing.
  let yamlCount = 0;
  files.forEach((f, i) => {
    const id = fileId(f.abs, opts.cwd);
    if (stream && id === stream.id) return;
    const read = reads[i];
    if (read === 'dropped') return;
    if ('skipped' in read) {
      skipped.push({ id, reason: read.skipped, unreadable: read.unreadable });
      return;
    }
    const bytes = read.bytes;
    if (f.kind === 'material') {
      index.setOtherFile(id, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      // Findings point into scripts and PEM files too (a kubectl line, a PEM block): keep their text for lines.
      if (!bytes.subarray(0, 512).includes(0)) texts.set(id, bytes.toString('utf8'));
      return;
    }
    const text = decodeYamlBytes(bytes);
    if (text === undefined) {
      skipped.push({ id, reason: 'binary content in a YAML file' });
      return;
    }
    texts.set(id, text);
    index.setYamlFile(id, text);
    yamlCount++;
  });
  // Scripts and Markdown pages that hold YAML (heredocs, fenced blocks) are checked files too, and so is a stream.
  for (const f of index.yamlFiles.values()) if (f.host || f.id === stream?.id) yamlCount++;
  if (opts.kustomize) await renderUnits(index, config, opts.cwd, opts.kustomize);
  return { index, config, ioFindings, skipped, yamlCount, texts };
}

/**
 * Renders every kustomize unit (a kustomization no other one includes) with the real binary, two at a time, and
 * hands the builds to the index; a build that fails leaves the unit to the core's own reading of the kustomization.
 */
async function renderUnits(index: WorkspaceIndex, config: MeshtlsConfig, cwd: string, bin: KustomizeBinary): Promise<void> {
  const units = placementOf(index, config).units.filter((u) => u.kind === 'kustomize' && u.fileId);
  const queue = [...units];
  const worker = async () => {
    for (let u = queue.shift(); u; u = queue.shift()) {
      const dirAbs = path.resolve(cwd, path.dirname(u.fileId!));
      const build = await renderKustomization({ dirAbs, cwd, bin, fileId: (abs) => fileId(abs, cwd) });
      if (build.resources) index.setRendered(u.fileId!, build);
    }
  };
  await Promise.all([worker(), worker()]);
}
