import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RenderedBuild, RenderedResource } from '../core/index/workspace-index';
import { documentValues } from '../core/yaml/documents';

/** The binary that builds kustomizations: `kustomize build DIR`, else `kubectl kustomize DIR` (built-in kustomize). */
export interface KustomizeBinary {
  command: string;
  args: string[];
}

/** Finds `kustomize` or `kubectl` on the PATH (or the given kubectl path); undefined when neither is there. */
export function findKustomizeBinary(env: NodeJS.ProcessEnv = process.env): KustomizeBinary | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = (name: string) => dirs.map((d) => path.join(d, name)).find((p) => existsSync(p));
  const kustomize = onPath('kustomize');
  if (kustomize) return { command: kustomize, args: ['build'] };
  const kubectl = onPath('kubectl');
  if (kubectl) return { command: kubectl, args: ['kustomize'] };
  return undefined;
}

/**
 * Builds the kustomization in `dirAbs` for real, without touching the user's files: a wrapper kustomization in a temp
 * folder includes it and asks for `buildMetadata: [originAnnotations]`, so every output resource records the file
 * it came from (`config.kubernetes.io/origin`). The result names each resource's source by file id, with the name and
 * namespace the build gave it; the core places resources with it instead of its own reading of the kustomization.
 */
export async function renderKustomization(opts: { dirAbs: string; cwd: string; bin: KustomizeBinary; timeoutMs?: number; fileId: (abs: string) => string }): Promise<RenderedBuild> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'meshtls-kustomize-'));
  try {
    // kustomize refuses absolute resource paths; a relative one from the temp folder reaches the overlay.
    const rel = path.relative(tmp, opts.dirAbs).split(path.sep).join('/');
    writeFileSync(path.join(tmp, 'kustomization.yaml'), `buildMetadata: [originAnnotations]\nresources:\n  - ${JSON.stringify(rel)}\n`);
    const text = await new Promise<string>((resolve, reject) => {
      execFile(opts.bin.command, [...opts.bin.args, tmp], { cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error((stderr || err.message).trim().split('\n').pop() ?? err.message));
        else resolve(stdout);
      });
    });
    const resources: RenderedResource[] = [];
    for (const value of documentValues(text)) {
      const v = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> } } | null;
      if (!v || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string') continue;
      const origin = v.metadata.annotations?.['config.kubernetes.io/origin'];
      const m = typeof origin === 'string' ? /^path:\s*(.+)$/m.exec(origin) : null;
      if (!m) continue;
      const file = opts.fileId(path.resolve(tmp, m[1].trim().replace(/^['"]|['"]$/g, '')));
      resources.push({ file, kind: v.kind, name: v.metadata.name, namespace: typeof v.metadata.namespace === 'string' ? v.metadata.namespace : undefined });
    }
    return { resources };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
