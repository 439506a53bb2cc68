// Runs meshtls inside a real editor: code-server (VS Code's workbench and Node extension host, installed from npm by
// scripts/setup-editor-test.sh) driven by Debian's Chromium through playwright-core. It
//  1. packages meshtls (`npm run package`) and the test-runner extension, installs both offline into a fresh
//     extensions dir,
//  2. starts code-server in its own process group on a free port, with HOME/TMPDIR/user data inside the cache,
//  3. opens a temporary copy of the fixture workspace in Chromium; the runner extension then runs the API-level suites
//     in the extension host and writes their results to a file,
//  4. runs the UI scenarios (Ctrl+P, Problems count, squiggle, hover), saving a screenshot per step,
//  5. stops Chromium and the whole code-server process group, whatever happened.
// Usage: node test/extension/harness.mjs [--results FILE] [--keep]. Exits non-zero unless everything passed; an
// editor that does not come up is a failure, never a skip. test/extension/editor.test.ts turns the report into tests.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildRunner } from './runner/build.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Outside the clone by default, so every checkout of this machine (and CI) shares one code-server build.
const CACHE = process.env.MESHTLS_EDITOR_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'meshtls-editor-test');
// The fixture workspaces, opened one window after another on the same code-server; each window's runner runs the
// suites that declare that workspace (describe(name, { workspace }, …)). Workspaces made from an example are copied
// from examples/ at run time rather than checked in twice (the FooCorp PKI trees are 18 PEM files).
const WORKSPACES = [
  { name: 'foocorp-broken', from: 'test/extension/workspaces/foocorp-broken' },
  { name: 'foocorp', from: 'examples/foocorp' },
  // The FooCorp YAML and create-secrets.sh without the two PKI trees: every credential is unresolved.
  { name: 'foocorp-no-pki', from: 'examples/foocorp', skip: (rel) => /^(frontend|inventory)\.foocorp\.com(\/|$)/.test(rel) },
  { name: 'iks-alb', from: 'examples/iks-alb' },
  // Our scenarios' guides with planted mistakes: YAML only inside Markdown blocks and shell heredocs (no .yaml file).
  { name: 'guides', from: 'test/fixtures/guides/broken' },
  { name: 'foocorp-gateway-api', from: 'examples/foocorp-gateway-api' },
];
const OUTPUT = join(REPO, 'test-output');
const SCREENSHOTS = join(OUTPUT, 'screenshots');

// The message the broken fixture must show, in the Problems panel and in the hover.
const BROKEN_MESSAGE = 'Server "https-inventory" uses protocol HTTPS but has no tls settings.';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Settings for the fresh user-data dir: no welcome page, no AI panel, no gallery traffic.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  // code-server saves after a delay by default (VS Code's web default); tests decide themselves when to save.
  'files.autoSave': 'off',
  // The harness reloads the window between the API suites and the UI scenarios; a backup written while a suite had
  // the file modified would otherwise come back as a dirty editor.
  'files.hotExit': 'off',
  // The empty secondary side bar (chat) would take a third of the screenshots.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The run folder sits inside the repository's git-ignored cache; without this, Git offers to open the repository
  // in a notification over the editor and scans the worktree.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

// Room for the longest socket name either program puts under TMPDIR (code-server: vscode-ipc-<uuid>.sock, Chromium:
// org.chromium.Chromium.XXXXXX/SingletonSocket) within the 107-byte limit.
const MAX_TMPDIR = 54;

const T0 = Date.now();
const log = (line) => process.stderr.write(`[harness +${((Date.now() - T0) / 1000).toFixed(1)}s] ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class HarnessError extends Error {}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    throw new HarnessError(`${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal}):\n${(r.stdout ?? '').slice(-4000)}\n${(r.stderr ?? '').slice(-4000)}`);
  }
  return r;
}

/** Installs code-server, Node 24 and Chromium into the cache unless they are already there. */
function ensureSetup() {
  const envFile = join(CACHE, 'editor-env.json');
  const ready = () => existsSync(envFile) && (() => {
    const env = JSON.parse(readFileSync(envFile, 'utf8'));
    return existsSync(env.codeServer) && existsSync(env.node) && existsSync(env.chromium) ? env : undefined;
  })();
  let env = ready();
  if (!env) {
    log(`editor cache missing or incomplete in ${CACHE}; running scripts/setup-editor-test.sh`);
    run('bash', [join(REPO, 'scripts', 'setup-editor-test.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, MESHTLS_EDITOR_CACHE: CACHE } });
    env = ready();
    if (!env) throw new HarnessError(`scripts/setup-editor-test.sh finished but ${envFile} does not point at code-server, Node 24 and Chromium.`);
  }
  return env;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Removes run folders left behind by earlier failed runs (kept for their logs) once they are an hour old. */
function pruneOldRuns(runsDir) {
  if (!existsSync(runsDir)) return;
  for (const name of readdirSync(runsDir)) {
    const p = join(runsDir, name);
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
}

/** The environment for code-server and its CLI: Node 24 first on PATH, HOME and TMPDIR inside the run folder. */
function editorEnv({ editor, dirs, extra = {} }) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // An outer VS Code's variables (VSCODE_IPC_HOOK_CLI above all) would make code-server's CLI talk to that editor.
    if (!k.startsWith('VSCODE_') && !k.startsWith('ELECTRON_')) env[k] = v;
  }
  return { ...env, PATH: `${editor.nodeBin}:${process.env.PATH}`, HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: join(dirs.home, '.config'), XDG_DATA_HOME: join(dirs.home, '.local', 'share'), ...extra };
}

function codeServerArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The extension host's own log, where the runner and meshtls write; useful when results never arrive. */
function extensionHostLogs(userData) {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/exthost|remoteexthost|meshtls/i.test(name)) found.push(p);
    }
  };
  walk(join(userData, 'logs'));
  return found;
}

/** Kills the whole process group of `child` (code-server forks an extension host, file watchers, pty hosts). */
async function killGroup(child) {
  if (!child?.pid) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
  for (let i = 0; i < 50 && alive(); i++) await sleep(100);
  if (alive()) {
    log(`code-server group ${child.pid} ignored SIGTERM; sending SIGKILL`);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

async function waitFor(what, timeoutMs, probe, { intervalMs = 200, failIf } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failIf?.();
    if (failure) throw new HarnessError(`${what}: ${failure}`);
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new HarnessError(`${what}: nothing after ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

/** (Re)creates the temporary copy of a fixture workspace under the run folder and returns its path. */
function copyWorkspace(runDir, ws) {
  const target = join(runDir, ws.name);
  rmSync(target, { recursive: true, force: true });
  const from = join(REPO, ws.from);
  cpSync(from, target, { recursive: true, filter: (src) => !ws.skip || src === from || !ws.skip(relative(from, src).split('\\').join('/')) });
  return target;
}

/** One UI scenario: runs `body`, takes its screenshot whether it passed or not, and records what it observed. */
async function scenario(report, page, { name, shot }, body) {
  const started = Date.now();
  const entry = { name, ok: false, durationMs: 0, screenshot: join(SCREENSHOTS, `${shot}.png`), details: {} };
  report.ui.push(entry);
  try {
    await body(entry.details);
    entry.ok = true;
  } catch (e) {
    entry.error = e?.stack ?? String(e);
  } finally {
    entry.durationMs = Date.now() - started;
    try {
      await page.screenshot({ path: entry.screenshot });
    } catch (e) {
      entry.screenshot = undefined;
      entry.error = `${entry.error ?? ''}\nscreenshot failed: ${e?.message ?? e}`.trim();
    }
    log(`${entry.ok ? 'ok  ' : 'FAIL'} ui: ${name} (${entry.durationMs} ms)${entry.ok ? '' : `\n${entry.error}`}`);
  }
  return entry.ok;
}

/** Opens a workspace file with Ctrl+P, picking the row for `name` (not a "recently opened" one from elsewhere). */
async function quickOpen(page, name) {
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
  await quickInput.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
  // Right after the window reloads into another workspace the editor can take well over 10 s to draw its first lines
  // on a loaded machine (seen in a CI run: the tab was there, the text area still loading).
  await page.locator(`.tabs-container .tab[data-resource-name="${name}"]`).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The Problems status item as numbers: its aria-label names the errors, its text is "<errors> <warnings>". */
async function problemCounts(page) {
  const item = page.locator('[id="status.problems"]');
  const label = (await item.getAttribute('aria-label').catch(() => null)) ?? '';
  const text = (await item.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
  const m = /^(\d+) (\d+)$/.exec(text);
  return { label, text, errors: m ? Number(m[1]) : NaN, warnings: m ? Number(m[2]) : NaN };
}

/** Rests the mouse on `target` until a hover containing `text` shows, and returns that hover's text. */
async function hoverUntil(page, target, text, what) {
  const box = await target.boundingBox();
  if (!box) throw new Error(`${what}: the text has no box on screen`);
  const hover = page.locator('.monaco-hover-content').filter({ hasText: text });
  await waitFor(what, 60_000, async () => {
    await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return hover.first().waitFor({ state: 'visible', timeout: 1_500 }).then(() => true, () => false);
  }, { intervalMs: 100 });
  return (await hover.first().innerText()).replace(/\u00a0/g, ' ');
}

async function uiScenarios(report, page, { openFolder, workspaces }) {
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  const gatewayTab = page.locator('.tabs-container .tab[data-resource-name="gateway.yaml"]');
  const problems = page.locator('[id="status.problems"]');
  let chosenRow;

  await scenario(report, page, { name: 'quick open lists the broken gateway (Ctrl+P)', shot: '02-quick-open' }, async (details) => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
    // Informational: what the Problems item says before the file is opened (today meshtls lints open files only).
    details.problemsBefore = (await problems.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    // A window that has just loaded can drop the first keystrokes while its extension host starts (on a loaded
    // machine for well over 10 s): the shortcut is pressed again until the quick input shows.
    await waitFor('the quick open input', 60_000, async () => {
      await page.keyboard.press('Control+P');
      return quickInput.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    });
    await quickInput.fill('gateway.yaml');
    // The first rows can be "recently opened" files, including the clean example an API suite opened from outside the
    // workspace; wait for the row that is the workspace's own gateway.yaml.
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'gateway.yaml' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const labelsNow = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    const ours = (l) => l.includes('gateway.yaml') && !l.includes('examples');
    const labels = await labelsNow();
    details.rows = labels;
    const index = labels.findIndex(ours);
    if (index < 0) throw new Error(`no quick-open row for the workspace gateway.yaml among ${JSON.stringify(labels)}`);
    details.chosen = labels[index];
    // The list can re-render before the next step clicks (a "recently opened" row and the file search's row for the
    // same file merge into one): the row is looked up again right before each click (seen once: the second of two
    // rows was gone and the click waited 30 s for it).
    chosenRow = () =>
      waitFor('the workspace gateway.yaml row to take the click', 10_000, async () => {
        const i = (await labelsNow()).findIndex(ours);
        return i >= 0 && rows.nth(i).click({ timeout: 2_000 }).then(() => true, () => false);
      });
    // The screenshot of this step shows the list; the next step picks the row.
  });

  await scenario(report, page, { name: 'the broken gateway opens in an editor tab', shot: '03-gateway-open' }, async (details) => {
    if (!chosenRow) throw new Error('quick open did not offer the file');
    await chosenRow();
    await gatewayTab.waitFor({ state: 'visible', timeout: 10_000 });
    details.tabLabel = await page.locator('.tabs-container .tab.active').getAttribute('aria-label');
    details.tabResource = await gatewayTab.getAttribute('data-resource-name');
    // The window title follows the active editor a moment after the tab appears.
    details.windowTitle = await waitFor('the window title to name the file', 10_000, async () => {
      const title = await page.title();
      return title.startsWith('gateway.yaml') ? title : undefined;
    }).catch(() => page.title());
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 10_000 });
    details.firstLine = (await page.locator('.monaco-editor .view-lines .view-line').first().innerText()).replace(/\u00a0/g, ' ');
  });

  await scenario(report, page, { name: 'the Problems count shows the error and the squiggle is drawn', shot: '04-problems' }, async (details) => {
    // The status bar item reads "Errors: N, Warnings: M" in its aria-label; wait until it counts an error.
    const label = await waitFor('Problems count with an error', 30_000, async () => {
      const l = await problems.getAttribute('aria-label').catch(() => null);
      return l && /Errors?: [1-9]/.test(l) ? l : undefined;
    });
    details.ariaLabel = label;
    details.text = (await problems.innerText()).replace(/\s+/g, ' ').trim();
    // The aria-label names only the errors; the item's text is "<errors> <warnings>".
    details.errors = Number(/Errors?: (\d+)/.exec(label)?.[1]);
    details.warnings = Number(/^\d+ (\d+)$/.exec(details.text)?.[1]);
    const squiggles = page.locator('.monaco-editor .squiggly-error');
    await squiggles.first().waitFor({ state: 'visible', timeout: 10_000 });
    details.squiggles = await squiggles.count();
  });

  await scenario(report, page, { name: 'hovering the squiggle shows the meshtls message', shot: '05-hover' }, async (details) => {
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('the squiggle has no box on screen');
    // Monaco shows the hover after a short delay once the mouse rests over the decorated text.
    const hover = page.locator('.monaco-hover-content').filter({ hasText: BROKEN_MESSAGE });
    await waitFor('a hover with the meshtls message', 30_000, async () => {
      await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return hover.first().isVisible({ timeout: 1_500 }).then((v) => v || hover.first().waitFor({ state: 'visible', timeout: 1_500 }).then(() => true, () => false));
    }, { intervalMs: 100 });
    // The first row is the problem itself (message, source, code); later rows are actions like "View Problem".
    details.problemText = (await hover.first().locator('.hover-row').first().textContent())?.replace(/\s+/g, ' ').trim();
    details.links = await hover.first().locator('a').evaluateAll((as) =>
      as.map((a) => ({ text: a.textContent?.trim() ?? '', href: a.getAttribute('href') ?? a.getAttribute('data-href') ?? '' })),
    );
  });

  await scenario(report, page, { name: 'the rule link in the hover opens the rendered rule page, not its Markdown source', shot: '05b-rule-page' }, async (details) => {
    // The hover of the previous scenario is still up; its rule id is the diagnostic's code link.
    const link = page.locator('.monaco-hover-content a').filter({ hasText: 'gateway-tls-required' }).first();
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    await link.click();
    const preview = page.locator('.tabs-container .tab').filter({ hasText: 'Preview gateway-tls-required.md' });
    await preview.first().waitFor({ state: 'visible', timeout: 20_000 });
    // The source tab is closed once the preview is up (tab names read from their aria-labels).
    const tabNames = () => page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    details.tabs = await waitFor('only the preview tab beside the gateway', 10_000, async () => {
      const labels = await tabNames();
      return labels.some((l) => l.startsWith('gateway-tls-required.md')) ? undefined : labels;
    }).catch(() => tabNames());
    // The rendered page lives in the preview's webview (an iframe inside an iframe): its first heading, once drawn.
    details.heading = await waitFor('the rendered page heading', 20_000, async () => {
      for (const f of page.frames()) {
        const h = await f.locator('h1').first().innerText({ timeout: 200 }).catch(() => undefined);
        if (h) return h.trim();
      }
      return undefined;
    }).catch((e) => `no heading: ${e.message}`);
  });

  await scenario(report, page, { name: 'hovering credentialName in the FooCorp gateway shows the certificate chain', shot: '06-credential-hover' }, async (details) => {
    await openFolder(workspaces.foocorp);
    await quickOpen(page, 'gateway.yaml');
    // The CodeLens above the credentialName line: status, then the actions.
    const lens = page.locator('.monaco-editor .codelens-decoration').first();
    // The lens waits for the new window's startup scan: a minute on a loaded machine.
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    // The workbench can draw the lens line before its text (a fresh-clone CI run read ''), and the lens can first show
    // the state before the startup scan read the credential: wait for the verdict, and keep what is there if it never
    // comes (the test then says what it was).
    const lensText = async () => (await lens.innerText().catch(() => '')).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
    details.codeLens = await waitFor('the CodeLens verdict', 30_000, async () => {
      const t = await lensText();
      return t.startsWith('✓') ? t : undefined;
    }).catch(() => lensText());
    const value = page.locator('.monaco-editor .view-lines .view-line span span').filter({ hasText: /^frontend-credential$/ }).first();
    await value.waitFor({ state: 'visible', timeout: 10_000 });
    details.hover = await hoverUntil(page, value, 'server certificate', 'a hover with the certificate chain');
    details.problems = await problemCounts(page);
  });

  await scenario(report, page, { name: 'Run kubectl Secret Command shows the command in a modal and runs nothing until asked', shot: '06b-run-kubectl-modal' }, async (details) => {
    // Close the hover, put the cursor on the frontend credentialName, then run the command from the palette.
    await page.keyboard.press('Escape');
    const value = page.locator('.monaco-editor .view-lines .view-line span span').filter({ hasText: /^frontend-credential$/ }).first();
    await value.click();
    const quickInput = page.locator('.quick-input-widget .quick-input-box input');
    const command = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'meshtls: Run kubectl Secret Command in Terminal' }).first();
    // The palette lists the command only once the window knows the workspace is trusted (its `when` clause); that
    // context key can arrive after the window opens, so the palette is asked again until the command shows.
    await waitFor('the Run kubectl command in the palette', 20_000, async () => {
      await page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible', timeout: 5_000 });
      await quickInput.fill('>meshtls: Run kubectl Secret Command');
      if (await command.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    });
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    details.dialog = (await dialog.innerText()).replace(/\u00a0/g, ' ');
    details.buttons = (await dialog.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
    details.terminalsWhileAsking = await page.locator('.terminal-wrapper').count();
  });

  await scenario(report, page, { name: 'cancelling the kubectl modal opens no terminal', shot: '06c-run-kubectl-cancelled' }, async (details) => {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 10_000 });
    details.terminals = await page.locator('.terminal-wrapper').count();
  });

  await scenario(report, page, { name: 'the Credentials view in the explorer lists the credentials and expands one', shot: '12-credentials-view' }, async (details) => {
    // The view is a section of the explorer, collapsed until its header is clicked.
    await page.keyboard.press('Control+Shift+E');
    const header = page.locator('.pane-header').filter({ hasText: 'Credentials' }).first();
    await header.waitFor({ state: 'visible', timeout: 10_000 });
    details.expandedBefore = await header.getAttribute('aria-expanded');
    if (details.expandedBefore !== 'true') await header.click();
    await waitFor('the Credentials section to expand', 10_000, async () => (await header.getAttribute('aria-expanded')) === 'true');
    // Room for every row on the screenshot: collapse the folder section above and widen the side bar.
    const folders = page.locator('.pane-header').filter({ hasText: workspaces.foocorp.split(/[\\/]/).pop() }).first();
    if ((await folders.getAttribute('aria-expanded').catch(() => null)) === 'true') await folders.click();
    // The sash between the side bar and the editor sits on the side bar's right edge.
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      const y = sideBar.y + sideBar.height / 2;
      await page.mouse.move(sideBar.x + sideBar.width, y);
      await page.mouse.down();
      await page.mouse.move(sideBar.x + sideBar.width + 300, y, { steps: 5 });
      await page.mouse.up();
    }
    const pane = page.locator('.pane').filter({ has: header });
    const rows = pane.locator('.monaco-list-row');
    // Label and description are separate elements of a row; read them apart so the text is exact.
    const rowTexts = () => rows.evaluateAll((els) => els.map((e) => [e.querySelector('.label-name')?.textContent ?? '', e.querySelector('.label-description')?.textContent ?? ''].map((t) => t.replace(/\u00a0/g, ' ').trim()).filter(Boolean).join(' | ')));
    const frontend = rows.filter({ hasText: 'frontend-credential' }).first();
    await frontend.waitFor({ state: 'visible', timeout: 20_000 });
    details.collapsedRows = await rowTexts();
    // The twistie, not the label: clicking the label runs the row's command (it opens the Gateway).
    await frontend.locator('.monaco-tl-twistie').click();
    await waitFor('frontend-credential to expand', 10_000, async () => (await frontend.getAttribute('aria-expanded')) === 'true');
    await rows.filter({ hasText: 'client certificate' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    details.rows = await rowTexts();
    details.levels = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-level'))));
  });

  await scenario(report, page, { name: 'without PKI trees the Problems count shows 6 warnings', shot: '07-no-pki-problems' }, async (details) => {
    await openFolder(workspaces['foocorp-no-pki']);
    await quickOpen(page, 'gateway.yaml');
    const counts = await waitFor('6 warnings in the Problems count', 30_000, async () => {
      const c = await problemCounts(page);
      return c.warnings === 6 ? c : undefined;
    });
    Object.assign(details, counts);
    // The lens can first be drawn before the startup scan has read create-secrets.sh ("ℹ not found locally"); it is
    // redrawn after the scan's lint, naming the first missing file.
    const lens = page.locator('.monaco-editor .codelens-decoration').first();
    details.codeLens = await waitFor('the CodeLens to name the missing files', 20_000, async () => {
      const t = (await lens.innerText().catch(() => '')).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
      return t.includes('file not found') ? t : undefined;
    });
  });

  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await scenario(report, page, { name: 'Generate PKI Tree… from the command palette asks for the hosts', shot: '08-pki-hosts' }, async (details) => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await quickInput.fill('>meshtls: Generate PKI Tree');
    const command = rows.filter({ hasText: 'meshtls: Generate PKI Tree…' }).first();
    await command.waitFor({ state: 'visible', timeout: 10_000 });
    details.command = (await command.innerText()).replace(/\s+/g, ' ').trim();
    await page.keyboard.press('Enter');
    // The input box of step 1/3, pre-filled from the Gateway in the editor.
    const title = page.locator('.quick-input-widget .quick-input-title');
    await waitFor('the hosts input box', 10_000, async () => /hosts/.test((await title.innerText().catch(() => '')) ?? ''));
    details.title = (await title.innerText()).trim();
    details.value = await quickInput.inputValue();
  });

  await scenario(report, page, { name: 'the key profile is picked from a quick pick', shot: '09-pki-profile' }, async (details) => {
    await page.keyboard.press('Enter');
    const ecdsa = rows.filter({ hasText: 'ECDSA P-256' }).first();
    await ecdsa.waitFor({ state: 'visible', timeout: 10_000 });
    details.title = (await page.locator('.quick-input-widget .quick-input-title').innerText()).trim();
    details.rows = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  });

  await scenario(report, page, { name: 'the destination is picked from a quick pick', shot: '10-pki-destination' }, async (details) => {
    await rows.filter({ hasText: 'ECDSA P-256' }).first().click();
    const root = rows.filter({ hasText: 'workspace root' }).first();
    await root.waitFor({ state: 'visible', timeout: 10_000 });
    details.title = (await page.locator('.quick-input-widget .quick-input-title').innerText()).trim();
    details.rows = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  });

  await scenario(report, page, { name: 'the PKI files appear in the explorer and the warnings go away', shot: '11-pki-written' }, async (details) => {
    await rows.filter({ hasText: 'workspace root' }).first().click();
    const explorerRows = page.locator('.explorer-folders-view .monaco-list-row');
    // The command reveals the first server certificate, which expands its folders.
    await explorerRows.filter({ hasText: 'frontend.foocorp.com.cert.pem' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const counts = await waitFor('0 warnings in the Problems count', 30_000, async () => {
      const c = await problemCounts(page);
      return c.warnings === 0 && c.errors === 0 ? c : undefined;
    });
    Object.assign(details, counts);
    details.explorer = (await explorerRows.allInnerTexts()).map((t) => t.trim());
    const toast = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: 'PKI tree written' }).first();
    details.notification = await toast.waitFor({ state: 'visible', timeout: 10_000 }).then(() => toast.innerText(), () => undefined);
    // The CodeLens above the credentialName follows: the credential now resolves to the new tree. The explorer has
    // focus now, and the editor drops a lens refresh pending when it lost focus: the command re-lints after its reveal.
    const lens = page.locator('.monaco-editor .codelens-decoration').first();
    details.codeLens = await waitFor('the CodeLens to show the resolved credential', 20_000, async () => {
      const t = (await lens.innerText().catch(() => '')).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
      return t.startsWith('✓') ? t : undefined;
    });
  });
}

export async function runHarness({ keep = false } = {}) {
  const report = { ok: false, startedAt: new Date().toISOString(), timings: {}, api: null, ui: [], screenshots: SCREENSHOTS };
  const mark = (name, since) => (report.timings[name] = Date.now() - since);
  let server;
  let context;
  let runDir;
  let ownTmp;
  const stopEditor = async () => {
    await context?.close().catch(() => {});
    context = undefined;
    await killGroup(server);
  };
  // If the harness itself is told to stop (a test timeout, Ctrl+C), the editor must not outlive it.
  const onSignal = (signal) => {
    log(`received ${signal}; stopping the editor`);
    void stopEditor().finally(() => process.exit(130));
  };
  const onExit = () => {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {}
    }
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('exit', onExit);

  try {
    let t = Date.now();
    const editor = ensureSetup();
    mark('setupMs', t);

    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const runsDir = join(CACHE, 'runs');
    pruneOldRuns(runsDir);
    // Short names on purpose: Chromium and code-server put Unix sockets under TMPDIR, and socket paths are limited to
    // 107 bytes.
    runDir = join(runsDir, Date.now().toString(36));
    let tmp = join(runDir, 't');
    if (tmp.length > MAX_TMPDIR) {
      tmp = mkdtempSync(join(tmpdir(), 'meshtls-'));
      ownTmp = tmp;
      log(`the cache path is too long for socket paths; using ${tmp} as TMPDIR`);
    }
    const dirs = {
      home: join(runDir, 'home'),
      tmp,
      userData: join(runDir, 'user-data'),
      extensions: join(runDir, 'extensions'),
      chrome: join(runDir, 'chrome'),
      config: join(runDir, 'config.yaml'),
    };
    for (const d of [dirs.home, dirs.tmp, join(dirs.userData, 'User'), dirs.extensions, dirs.chrome]) mkdirSync(d, { recursive: true });
    writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    // Each workspace is a copy, so an API suite that edits, saves or generates files cannot change the repository.
    const workspaces = Object.fromEntries(WORKSPACES.map((ws) => [ws.name, copyWorkspace(runDir, ws)]));
    const workspace = workspaces['foocorp-broken'];
    const resultsFile = join(runDir, 'api-results.json');

    t = Date.now();
    log('packaging meshtls (npm run package) and the test runner');
    run('npm', ['run', '--silent', 'package'], { cwd: REPO });
    const meshtlsVsix = join(REPO, 'meshtls.vsix');
    const runnerVsix = join(runDir, 'meshtls-test-runner.vsix');
    const runner = await buildRunner({ vsix: runnerVsix });
    mark('packageMs', t);

    t = Date.now();
    const env = editorEnv({ editor, dirs });
    for (const vsix of [meshtlsVsix, runnerVsix]) {
      run(editor.codeServer, [...codeServerArgs(dirs), '--install-extension', vsix], { env, cwd: runDir });
    }
    const installed = run(editor.codeServer, [...codeServerArgs(dirs), '--list-extensions', '--show-versions'], { env, cwd: runDir }).stdout.trim().split('\n');
    report.installedExtensions = installed;
    if (!installed.some((l) => l.startsWith('meshtls.meshtls@')) || !installed.some((l) => l.startsWith('meshtls.meshtls-test-runner@'))) {
      throw new HarnessError(`extensions missing after install: ${JSON.stringify(installed)}`);
    }
    mark('installMs', t);
    log(`installed ${installed.join(', ')} (${runner.suites.length} suite files)`);

    t = Date.now();
    const port = await freePort();
    writeFileSync(dirs.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const serverLog = join(runDir, 'code-server.log');
    const logFd = openSync(serverLog, 'a');
    server = spawn(
      editor.codeServer,
      [...codeServerArgs(dirs), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--reconnection-grace-time', '5', workspace],
      // detached: the server leads its own process group, so one kill reaches every helper it forks.
      { cwd: runDir, detached: true, stdio: ['ignore', logFd, logFd], env: { ...env, MESHTLS_TEST_RESULTS: resultsFile, MESHTLS_TEST_REPO: REPO } },
    );
    closeSync(logFd);
    let exited;
    server.on('exit', (code, signal) => (exited = `code-server exited (${code ?? signal}); log:\n${tail(serverLog)}`));
    await waitFor(`code-server on port ${port} (/healthz)`, 30_000, async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      return r?.ok;
    }, { failIf: () => exited });
    mark('serverReadyMs', t);
    log(`code-server ${editor.codeServerVersion} is up on port ${port} (pgid ${server.pid})`);

    t = Date.now();
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(dirs.chrome, {
      executablePath: editor.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      // vscode.env.clipboard goes through the page's clipboard; without these, readText waits for a permission prompt.
      permissions: ['clipboard-read', 'clipboard-write'],
      // Chromium writes crash-report folders under $HOME/.config even with its own profile dir.
      env: { ...env, HOME: dirs.home, TMPDIR: dirs.tmp },
      // The harness's own handlers stop code-server too; Playwright's would only close the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // Leaving a window with an edited file asks before unloading; the suites restore their files, but a failed one
    // must not hang the next navigation.
    page.on('dialog', (d) => void d.accept().catch(() => {}));
    // Opening a folder is a page load: a new window with its own extension host, on the same code-server.
    const openFolder = async (folder) => {
      const url = new URL(`http://127.0.0.1:${port}/`);
      url.searchParams.set('folder', folder);
      // The first load compiles the workbench's scripts; on a loaded 2-core machine that alone can take over 30 s
      // (Playwright's default), so the page load gets the same minute as the workbench.
      await page.goto(url.toString(), { timeout: 90_000 });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 }).catch((e) => {
        throw new HarnessError(`the workbench did not appear at ${url}: ${e.message}\ncode-server log:\n${tail(serverLog)}`);
      });
    };
    await openFolder(workspace);
    mark('workbenchReadyMs', t);
    await page.screenshot({ path: join(SCREENSHOTS, '01-workbench.png') });
    log('workbench visible');

    // One window per fixture workspace; its runner writes api-results.<workspace>.json and the next window opens.
    t = Date.now();
    const api = { ok: true, suites: [], environment: undefined, activationMillis: {}, windows: {} };
    for (const ws of WORKSPACES) {
      const started = Date.now();
      if (ws.name !== 'foocorp-broken') await openFolder(workspaces[ws.name]);
      const file = join(runDir, `api-results.${ws.name}.json`);
      const r = await waitFor(`results of the in-editor API suites in ${ws.name}`, 120_000, async () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined), {
        intervalMs: 250,
        failIf: () => exited,
      }).catch((e) => {
        throw new HarnessError(`${e.message}\nextension host logs: ${extensionHostLogs(dirs.userData).join(', ') || '(none)'}\ncode-server log:\n${tail(serverLog)}`);
      });
      api.ok &&= Boolean(r.ok);
      api.environment ??= r.environment;
      api.suites.push(...r.suites);
      api.activationMillis[ws.name] = r.activationMillis;
      api.windows[ws.name] = Date.now() - started;
      if (r.fatal) api.fatal = `${api.fatal ? `${api.fatal}\n` : ''}${ws.name}: ${r.fatal}`;
      log(`api suites in ${ws.name}: ${r.suites.length} suites in ${r.durationMs} ms; meshtls activated in ${r.activationMillis?.toFixed(1)} ms`);
    }
    report.api = api;
    mark('apiMs', t);
    for (const s of api.suites) for (const test of s.tests) log(`${test.ok ? 'ok  ' : 'FAIL'} api: ${s.name} [${s.workspace}] › ${test.name}${test.ok ? '' : `\n${test.error?.message}`}`);
    if (api.fatal) log(`FAIL api runner: ${api.fatal}`);

    // The UI scenarios start from fresh windows (new extension hosts, empty editor areas), so what they see comes from
    // their own clicks and not from documents the API suites opened (each runner runs once per workspace). The
    // no-PKI workspace is copied again: its API suite generated a PKI tree there.
    t = Date.now();
    await openFolder(workspace);
    mark('reloadMs', t);
    t = Date.now();
    await uiScenarios(report, page, {
      openFolder,
      workspaces: { ...workspaces, 'foocorp-no-pki': copyWorkspace(runDir, WORKSPACES.find((w) => w.name === 'foocorp-no-pki')) },
    });
    mark('uiMs', t);

    report.ok = Boolean(api.ok) && report.ui.every((s) => s.ok);
  } catch (e) {
    report.error = e instanceof HarnessError ? e.message : e?.stack ?? String(e);
    log(`FAILED: ${report.error}`);
  } finally {
    const t = Date.now();
    await stopEditor();
    mark('stopMs', t);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('exit', onExit);
    report.timings.totalMs = Date.now() - T0;
    // A passing run leaves nothing behind; a failing one keeps its logs until a later run prunes them.
    if (ownTmp) rmSync(ownTmp, { recursive: true, force: true });
    if (runDir && report.ok && !keep) rmSync(runDir, { recursive: true, force: true });
    else if (runDir) report.runDir = runDir;
  }
  return report;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--results');
  const resultsPath = resolve(i >= 0 ? args[i + 1] : join(OUTPUT, 'editor-harness.json'));
  const report = await runHarness({ keep: args.includes('--keep') });
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, JSON.stringify(report, null, 2));
  const tm = report.timings;
  log(`timings (ms): setup ${tm.setupMs}, package ${tm.packageMs}, install ${tm.installMs}, server ready ${tm.serverReadyMs}, workbench ${tm.workbenchReadyMs}, api ${tm.apiMs} (${JSON.stringify(report.api?.windows ?? {})}), reload ${tm.reloadMs}, ui ${tm.uiMs}, stop ${tm.stopMs}, total ${tm.totalMs}`);
  log(`meshtls activationMillis per window: ${JSON.stringify(report.api?.activationMillis ?? {})}`);
  log(`${report.ok ? 'PASSED' : 'FAILED'}; report ${resultsPath}; screenshots ${SCREENSHOTS}`);
  process.exitCode = report.ok ? 0 : 1;
}
