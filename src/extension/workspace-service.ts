import * as vscode from 'vscode';
import { WorkspaceIndex } from '../core/index/workspace-index';
import { Linter } from '../core/lint';
import type { MeshtlsConfig } from '../core/config';
import type { Finding } from '../core/types';
import { LineIndex } from '../core/lines';
import { readSettings, mergeConfig, SECTION, CONFIG_FILE } from './settings';
import { PLAIN_SCHEMA_RULE_IDS } from '../core/rules/schema';
import { listWorkspaceFiles, readInside } from '../node/walk';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const YAML_GLOB = '**/*.{yaml,yml}';
const MATERIAL_GLOB = '**/{*.pem,*.crt,*.cer,*.key,*.der,*.sh,*.bash,*.zsh,*.md,*.markdown,Makefile,makefile,GNUmakefile}';
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.vscode-test/**'];
const DEBOUNCE_MS = 120;

/**
 * Documents meshtls serves hovers, quick fixes and navigation in: YAML, and the scripts and Markdown pages that hold
 * YAML in heredocs and fenced blocks (their findings sit on the host's own lines).
 */
export const ISTIO_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'shellscript', scheme: 'file' },
  { language: 'markdown', scheme: 'file' },
  { language: 'makefile', scheme: 'file' },
];

/** The core's file id for a URI: its path with '/' separators (see src/core/paths.ts). */
export function fileIdOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath.split('\\').join('/') : uri.toString();
}

export function uriOf(id: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(id) && !/^[a-z]:[\\/]/i.test(id) ? vscode.Uri.parse(id) : vscode.Uri.file(id);
}

function isYamlId(id: string): boolean {
  return /\.ya?ml$/i.test(id);
}

export interface LintResult {
  findings: Map<string, Finding[]>;
  millis: number;
  /** The instant the findings were computed at: hovers and views use it too, so day counts agree with Problems. */
  now: Date;
}

/**
 * Owns the workspace index and the linter for the extension: scans the workspace at startup, follows open editors
 * (their unsaved text wins over the disk) and file-system changes, and re-lints, debounced, after each change.
 */
export class WorkspaceService implements vscode.Disposable {
  readonly index = new WorkspaceIndex();
  private linter: Linter;
  private configValue: MeshtlsConfig;
  private readonly open = new Map<string, vscode.TextDocument>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lintEmitter = new vscode.EventEmitter<LintResult>();
  readonly onDidLint = this.lintEmitter.event;
  last: LintResult = { findings: new Map(), millis: 0, now: new Date() };
  configProblems: { fileId: string; message: string; offset: number }[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const { config } = mergeConfig(undefined, readSettings(), undefined);
    this.configValue = config;
    this.linter = new Linter({ config, now: new Date() });
    this.disposables.push(this.lintEmitter);
  }

  get config(): MeshtlsConfig {
    return this.configValue;
  }

  /** Reads `.meshtls.yaml` and settings; a new linter drops caches that depend on the old configuration. */
  async reloadConfig(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    let text: string | undefined;
    let configId: string | undefined;
    if (folder) {
      const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
      try {
        // Through the same fence and cap as every other file: a FIFO named .meshtls.yaml would block the read.
        if (uri.scheme === 'file') {
          const read = await readInside(uri.fsPath, folder.uri.fsPath, MAX_FILE_BYTES);
          if ('skipped' in read) throw new Error(read.skipped);
          text = new TextDecoder().decode(read.bytes);
        } else text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        configId = fileIdOf(uri);
      } catch {
        text = undefined;
      }
    }
    const { config, problems } = mergeConfig(text, readSettings(folder), folder ? fileIdOf(folder.uri) : undefined);
    if (this.schemaHandledElsewhere()) for (const id of PLAIN_SCHEMA_RULE_IDS) config.severity[id] ??= 'off';
    this.configProblems = configId ? problems.map((p) => ({ fileId: configId, ...p })) : [];
    for (const p of problems) this.log.warn(`${CONFIG_FILE}: ${p.message}`);
    this.configValue = config;
    this.linter = new Linter({ config, now: new Date() });
  }

  /**
   * Red Hat's YAML extension validates against schemas users map in `yaml.schemas`. When one of those mappings is an
   * Istio schema, plain schema errors would appear twice, so in `auto` mode meshtls leaves them to it.
   */
  private schemaHandledElsewhere(): boolean {
    const mode = readSettings().schemaValidation;
    if (mode !== 'auto') return mode === 'off';
    if (!vscode.extensions.getExtension('redhat.vscode-yaml')) return false;
    const schemas = vscode.workspace.getConfiguration('yaml').get<Record<string, unknown>>('schemas') ?? {};
    return Object.entries(schemas).some(([k, v]) => /istio/i.test(k) || /istio/i.test(JSON.stringify(v)));
  }

  /** The first workspace folder's path with a trailing '/', which display strings drop (see credentials-model). */
  folderPrefix(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.scheme === 'file' ? `${fileIdOf(folder.uri).replace(/\/$/, '')}/` : undefined;
  }

  /** A message as shown in the editor: paths inside the workspace folder relative to it, like the CLI prints them. */
  displayText(text: string): string {
    const prefix = this.folderPrefix();
    return prefix ? text.split(prefix).join('') : text;
  }

  /** Reads files (e.g. a PKI tree just written) into the index now, without waiting for watcher events, and re-lints. */
  async refresh(uris: readonly vscode.Uri[]): Promise<void> {
    await Promise.all(uris.map((uri) => this.readFromDisk(uri)));
    this.lintNow();
  }

  private excludes(): string[] {
    return [...ALWAYS_EXCLUDED, ...readSettings().exclude, ...this.configValue.ignore];
  }

  excludeGlob(): string {
    return `{${this.excludes().join(',')}}`;
  }

  /**
   * The YAML and certificate/script files in every workspace folder, or under `dir` (a folder that just appeared).
   * Folders on disk are listed by the CLI's walker (src/node/walk.ts), not by the editor's file search: that one
   * follows symbolic links, so `r -> /` in a cloned repository would list the whole file system before readInside
   * refused each file. Other file systems (remote, virtual) have no links to follow and keep the file search.
   */
  async listFiles(dir?: vscode.Uri): Promise<vscode.Uri[]> {
    const include = readSettings().include || YAML_GLOB;
    const exclude = this.excludes();
    const folders = dir ? [vscode.workspace.getWorkspaceFolder(dir)].filter((f) => f !== undefined) : (vscode.workspace.workspaceFolders ?? []);
    const lists = await Promise.all(
      folders.map(async (folder) => {
        if (folder.uri.scheme === 'file') {
          const files = await listWorkspaceFiles({ root: folder.uri.fsPath, dir: dir?.fsPath, include, exclude });
          return files.map((f) => vscode.Uri.file(f.abs));
        }
        const base = dir ?? folder.uri;
        const found = await Promise.all([include, MATERIAL_GLOB].map((g) => vscode.workspace.findFiles(new vscode.RelativePattern(base, g), this.excludeGlob())));
        return found.flat();
      }),
    );
    return lists.flat();
  }

  private scanning: Promise<number> | undefined;
  /** Set once the first full scan has finished (and published as the `meshtls.scanned` context key). */
  scannedOnce = false;

  /**
   * Resolves once no scan is running. Providers that read the credential index wait for it, so a CodeLens or hover
   * drawn during the startup scan never reports files as missing that simply have not been read yet.
   */
  async whenReady(): Promise<void> {
    while (this.scanning) await this.scanning.catch(() => undefined);
  }

  /** Startup scan of every YAML file and every certificate/script file, with a progress indicator. */
  scan(): Promise<number> {
    const run = this.scanOnce().finally(() => {
      if (this.scanning === run) this.scanning = undefined;
      if (!this.scannedOnce) {
        this.scannedOnce = true;
        void vscode.commands.executeCommand('setContext', 'meshtls.scanned', true);
        this.lintEmitter.fire(this.last);
      }
    });
    this.scanning = run;
    return run;
  }

  private async scanOnce(): Promise<number> {
    const started = Date.now();
    await this.reloadConfig();
    const count = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'meshtls: scanning workspace' },
      async (progress) => {
        const all = await this.listFiles();
        let done = 0;
        const step = Math.max(1, Math.floor(all.length / 20));
        await Promise.all(
          all.map(async (uri) => {
            await this.readFromDisk(uri);
            if (++done % step === 0) progress.report({ message: `${done}/${all.length} files` });
          }),
        );
        return all.length;
      },
    );
    for (const doc of vscode.workspace.textDocuments) this.openDocument(doc, false);
    this.lintNow();
    this.log.info(`scanned ${count} files in ${Date.now() - started} ms`);
    return count;
  }

  private async readFromDisk(uri: vscode.Uri): Promise<void> {
    const id = fileIdOf(uri);
    if (this.open.has(id)) return; // the editor's text wins
    try {
      let bytes: Uint8Array;
      const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
      if (folder) {
        // The CLI's rules (src/node): the editor's file search follows symbolic links, so a repository's
        // `ca.pem -> /proc/self/pagemap` or `r -> /` would be read without end; the real path must stay inside the
        // folder, only regular files are read, and never more than the cap whatever the size says.
        const read = await readInside(uri.fsPath, folder.uri.fsPath, MAX_FILE_BYTES);
        if ('skipped' in read) {
          this.log.warn(`skipped ${id}: ${read.skipped}`);
          return;
        }
        bytes = read.bytes;
      } else {
        // Other file systems (remote, virtual) have no symbolic links to follow; their size is what they serve.
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_FILE_BYTES) {
          this.log.warn(`skipped ${id}: larger than 5 MB`);
          return;
        }
        bytes = await vscode.workspace.fs.readFile(uri);
      }
      if (isYamlId(id)) {
        if (bytes.includes(0)) {
          this.log.warn(`skipped ${id}: binary content`);
          return;
        }
        this.index.setYamlFile(id, new TextDecoder().decode(bytes));
      } else {
        this.index.setOtherFile(id, bytes);
      }
      this.lineIndexes.delete(id);
    } catch (err) {
      this.log.warn(`skipped ${id}: ${(err as Error).message}`);
    }
  }

  /** Follows editors and the file system; call once after construction. */
  watch(): void {
    const onDisk = (uri: vscode.Uri) => {
      // The PKI writer stages files in a temporary folder and renames it into place; they are gone by the time we look.
      if (/\/\.meshtls-tmp-[^/]*\//.test(fileIdOf(uri))) return;
      void this.readFromDisk(uri).then(() => this.schedule());
    };
    // A folder moved or copied in arrives as one event for the folder, none for the files inside (the PKI writer's
    // rename, an unzip, a checkout): read what the globs match under it.
    const onFolderCreated = async (uri: vscode.Uri) => {
      if (/\/\.meshtls-tmp-[^/]*$/.test(fileIdOf(uri))) return;
      const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
      if (!stat || !(stat.type & vscode.FileType.Directory)) return;
      const files = await this.listFiles(uri);
      if (files.length) await this.refresh(files);
    };
    const onDelete = (uri: vscode.Uri) => {
      const id = fileIdOf(uri);
      if (this.open.has(id)) return;
      // A deleted folder arrives as one event: drop everything under it.
      const prefix = id.endsWith('/') ? id : `${id}/`;
      let removed = this.index.removeFile(id);
      for (const key of [...this.index.yamlFiles.keys(), ...this.index.otherFiles.keys()]) if (key.startsWith(prefix)) removed = this.index.removeFile(key) || removed;
      if (removed) this.schedule();
    };
    for (const glob of [YAML_GLOB, MATERIAL_GLOB]) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(w, w.onDidCreate(onDisk), w.onDidChange(onDisk), w.onDidDelete(onDelete));
    }
    const folderWatcher = vscode.workspace.createFileSystemWatcher('**/');
    this.disposables.push(folderWatcher, folderWatcher.onDidDelete(onDelete), folderWatcher.onDidCreate((uri) => void onFolderCreated(uri)));
    const configWatcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    const reload = () => void this.reloadConfig().then(() => this.schedule());
    this.disposables.push(
      configWatcher,
      configWatcher.onDidCreate(reload),
      configWatcher.onDidChange(reload),
      configWatcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION) || e.affectsConfiguration('yaml.schemas')) reload();
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.openDocument(doc, true)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.openDocument(e.document, true);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const id = fileIdOf(doc.uri);
        if (!this.open.delete(id)) return;
        this.lineIndexes.delete(id);
        // Back to the file on disk (or gone, for an untitled document).
        if (doc.uri.scheme === 'file') onDisk(doc.uri);
        else if (this.index.removeFile(id)) this.schedule();
      }),
    );
  }

  private openDocument(doc: vscode.TextDocument, schedule: boolean): void {
    if (!this.tracks(doc)) return;
    const id = fileIdOf(doc.uri);
    this.open.set(id, doc);
    this.lineIndexes.delete(id);
    if (isYamlId(id) || doc.languageId === 'yaml') this.index.setYamlFile(id, doc.getText());
    else this.index.setOtherFile(id, new TextEncoder().encode(doc.getText()));
    if (schedule) this.schedule();
  }

  private tracks(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    const id = fileIdOf(doc.uri);
    if (/\/(node_modules|\.git)\//.test(id)) return false;
    return doc.languageId === 'yaml' || isYamlId(id) || (doc.uri.scheme === 'file' && /\.(pem|crt|cer|key|sh|bash|zsh|md|markdown)$|\/(Makefile|makefile|GNUmakefile)$/.test(id));
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lintNow();
    }, DEBOUNCE_MS);
  }

  lintNow(): LintResult {
    const started = performance.now();
    const now = new Date();
    const findings = this.linter.lint(this.index, now);
    this.last = { findings, millis: performance.now() - started, now };
    this.log.trace(`linted ${findings.size} files in ${this.last.millis.toFixed(1)} ms`);
    this.lintEmitter.fire(this.last);
    return this.last;
  }

  /** The open document for a file id, if any. */
  document(id: string): vscode.TextDocument | undefined {
    return this.open.get(id);
  }

  text(id: string): string | undefined {
    const doc = this.open.get(id);
    if (doc) return doc.getText();
    const yaml = this.index.yamlFiles.get(id);
    if (yaml) return yaml.text;
    const other = this.index.otherFiles.get(id);
    return other ? new TextDecoder().decode(other.bytes) : undefined;
  }

  /** Converts an offset span of any indexed file to an editor range. */
  range(id: string, start: number, end: number): vscode.Range {
    const doc = this.open.get(id);
    if (doc) return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
    let li = this.lineIndexes.get(id);
    if (!li) {
      li = new LineIndex(this.text(id) ?? '');
      this.lineIndexes.set(id, li);
    }
    const s = li.position(start);
    const e = li.position(end);
    return new vscode.Range(s.line, s.column, e.line, e.column);
  }

  location(id: string, start: number, end: number): vscode.Location {
    return new vscode.Location(uriOf(id), this.range(id, start, end));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
