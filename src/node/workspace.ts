import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceIndex } from '../core/index/workspace-index';
import { parseConfig, DEFAULT_CONFIG, type MeshtlsConfig } from '../core/config';
import type { Finding } from '../core/types';
import { walk, MAX_FILE_BYTES, MATERIAL_FILE } from './walk';
import { hostKindOf } from '../core/yaml/embedded';
import { ENGINE_RULES } from '../core/rules/engine-rules';

export const CONFIG_FILE = '.meshtls.yaml';

/** Finds `.meshtls.yaml` in `start` or its ancestors. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const p = path.join(dir, CONFIG_FILE);
    if (existsSync(p)) return p;
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
  /** Files that could not be read at all (reported, not linted). */
  skipped: { id: string; reason: string }[];
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
export async function loadWorkspace(inputs: string[], opts: { cwd: string; configPath?: string; stream?: StreamInput }): Promise<LoadedWorkspace> {
  const index = new WorkspaceIndex();
  const texts = new Map<string, string>();
  const ioFindings: Finding[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const stream = opts.stream;
  if (stream) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(stream.bytes);
    texts.set(stream.id, text);
    if (hostKindOf(stream.id) || MATERIAL_FILE.test(stream.id)) index.setOtherFile(stream.id, stream.bytes);
    else index.setYamlFile(stream.id, text);
  }
  // With only a stream, the configuration is looked up from where its name says it lives.
  const firstDir = inputs.length ? path.resolve(opts.cwd, inputs[0]) : stream ? path.dirname(path.resolve(opts.cwd, stream.id)) : opts.cwd;
  const configPath = opts.configPath ?? findConfig(existsSync(firstDir) && (await fs.stat(firstDir)).isDirectory() ? firstDir : path.dirname(firstDir));
  let config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  if (configPath) {
    const id = fileId(configPath, opts.cwd);
    try {
      const text = await fs.readFile(configPath, 'utf8');
      texts.set(id, text);
      const parsed = parseConfig(text);
      config = parsed.config;
      config.configFile = id;
      config.configDir = fileId(path.dirname(configPath), opts.cwd) || '.';
      for (const p of parsed.problems) ioFindings.push(ENGINE_RULES.configInvalid.make(id, p.message, p.offset));
    } catch (err) {
      if (opts.configPath) throw err;
    }
  }
  const { files, skipped: walkSkipped } = await walk(inputs, { root: opts.cwd, ignore: config.ignore });
  for (const s of walkSkipped) skipped.push({ id: fileId(s.abs, opts.cwd), reason: s.reason });
  let yamlCount = 0;
  await Promise.all(
    files.map(async (f) => {
      const id = fileId(f.abs, opts.cwd);
      if (stream && id === stream.id) return;
      try {
        const st = await fs.stat(f.abs);
        if (st.size > MAX_FILE_BYTES) {
          skipped.push({ id, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
          return;
        }
        const bytes = await fs.readFile(f.abs);
        if (f.kind === 'material') {
          index.setOtherFile(id, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          // Findings point into scripts and PEM files too (a kubectl line, a PEM block): keep their text for lines.
          if (!bytes.subarray(0, 512).includes(0)) texts.set(id, bytes.toString('utf8'));
          return;
        }
        if (bytes.includes(0)) {
          skipped.push({ id, reason: 'binary content in a YAML file' });
          return;
        }
        const text = bytes.toString('utf8');
        texts.set(id, text);
        index.setYamlFile(id, text);
        yamlCount++;
      } catch (err) {
        skipped.push({ id, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      }
    }),
  );
  // Scripts and Markdown pages that hold YAML (heredocs, fenced blocks) are checked files too, and so is a stream.
  for (const f of index.yamlFiles.values()) if (f.host || f.id === stream?.id) yamlCount++;
  return { index, config, ioFindings, skipped, yamlCount, texts };
}
