import type { Finding } from '../types';
import type { YamlDocument } from '../yaml/documents';
import type { Resource } from '../istio/resource';
import { spanIn } from '../istio/resource';
import { finding } from './types';

/**
 * Findings the engine itself produces (not registered rules that inspect resources): they still have stable ids,
 * docs pages and severities that `.meshtls.yaml` can override.
 */
export const ENGINE_RULES = {
  yamlSyntax: {
    id: 'yaml-syntax',
    defaultSeverity: 'error',
    summary: 'The file is not valid YAML.',
    make(fileId: string, e: { message: string; start: number; end: number }): Finding {
      return finding(this, { fileId, start: e.start, end: e.end }, e.message.replace(/\s+at line \d+, column \d+.*$/, ''));
    },
  },
  templateSkipped: {
    id: 'template-skipped',
    defaultSeverity: 'info',
    summary: 'A document with Helm/Go template syntax is skipped.',
    make(d: YamlDocument): Finding {
      const nl = d.text.indexOf('\n');
      return finding(this, { fileId: d.fileId, start: d.base, end: d.base + (nl < 0 ? d.text.length : nl) }, 'Document contains template syntax ({{ }}); meshtls skipped it.');
    },
    chartMessage(dir: string, documents: number, files: number): string {
      return `Helm chart ${dir === '' ? '.' : dir}/: ${documents} documents in ${files} ${files === 1 ? 'file' : 'files'} contain template syntax ({{ }}); meshtls skipped them. Lint the rendered chart: helm template ${dir === '' ? '.' : dir} | meshtls lint -`;
    },
  },
  ruleCrashed: {
    id: 'internal-error',
    // An error, so a CI gate fails: a rule that gave no verdict may have missed exactly what it exists to catch.
    defaultSeverity: 'error',
    summary: 'A rule failed on this resource; please report it.',
    make(ruleId: string, r: Resource, err: Error): Finding {
      return finding(this, spanIn(r, ['kind']), `Rule "${ruleId}" failed on ${r.kind} "${r.name}": ${err.message}`);
    },
    makeForFile(ruleId: string, fileId: string, err: Error): Finding {
      return finding(this, { fileId, start: 0, end: 0 }, `Rule "${ruleId}" failed: ${err.message}`);
    },
  },
  embeddedYamlSkipped: {
    id: 'embedded-yaml-skipped',
    defaultSeverity: 'warning',
    summary: 'A heredoc or fenced block that holds YAML could not be read (never closed, uneven tab indentation) and was not checked.',
    make(fileId: string, p: { start: number; end: number; message: string }): Finding {
      return finding(this, { fileId, start: p.start, end: p.end }, p.message);
    },
  },
  configInvalid: {
    id: 'config-invalid',
    defaultSeverity: 'error',
    summary: 'A setting in .meshtls.yaml cannot be read.',
    make(fileId: string, message: string, offset: number): Finding {
      return finding(this, { fileId, start: offset, end: offset + 1 }, message);
    },
  },
  fileSkipped: {
    id: 'file-skipped',
    defaultSeverity: 'warning',
    summary: 'A file was left out on purpose (a link out of the folder, a FIFO or device, binary content).',
    make(fileId: string, reason: string): Finding {
      return finding(this, { fileId, start: 0, end: 0 }, `Skipped: ${reason}.`);
    },
  },
  fileUnreadable: {
    id: 'file-unreadable',
    defaultSeverity: 'error',
    summary: 'A file that should be checked could not be read (permissions, I/O error, over 5 MB).',
    make(fileId: string, reason: string): Finding {
      return finding(this, { fileId, start: 0, end: 0 }, `Not checked: ${reason}.`);
    },
  },
} as const;
