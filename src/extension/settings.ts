import * as vscode from 'vscode';
import { DEFAULT_CONFIG, parseConfig, type MeshtlsConfig, type ConfigProblem } from '../core/config';
import { SEVERITIES, type Severity } from '../core/types';
import { parseIstioVersion } from '../core/istio/versions';

export const SECTION = 'meshtls';
export const CONFIG_FILE = '.meshtls.yaml';

/** Typed view of the `meshtls.*` settings for one resource scope. */
export interface ExtensionSettings {
  rootNamespace: string;
  gatewayNamespaces: Record<string, string>;
  expiryWarningDays: number;
  severity: Record<string, Severity | 'off'>;
  include: string;
  exclude: string[];
  kubectlPath: string;
  schemaValidation: 'auto' | 'on' | 'off';
  /** Empty when unset: `.meshtls.yaml` or the default decides. */
  targetIstioVersion: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const severity: Record<string, Severity | 'off'> = {};
  for (const [id, sev] of Object.entries(c.get<Record<string, string>>('severity') ?? {})) {
    if (sev === 'off' || (SEVERITIES as readonly string[]).includes(sev)) severity[id] = sev as Severity | 'off';
  }
  return {
    rootNamespace: c.get<string>('rootNamespace') || DEFAULT_CONFIG.rootNamespace,
    gatewayNamespaces: c.get<Record<string, string>>('gatewayNamespaces') ?? {},
    expiryWarningDays: c.get<number>('expiryWarningDays') ?? DEFAULT_CONFIG.expiryWarningDays,
    severity,
    include: c.get<string>('include') || '**/*.{yaml,yml}',
    exclude: c.get<string[]>('exclude') ?? [],
    kubectlPath: c.get<string>('kubectlPath') || 'kubectl',
    schemaValidation: c.get<'auto' | 'on' | 'off'>('schemaValidation') ?? 'auto',
    targetIstioVersion: c.get<string>('targetIstioVersion') ?? '',
  };
}

/**
 * The effective core configuration: `.meshtls.yaml` (shared with the CLI) first, then VS Code settings layered on
 * top where the user changed them, so a team file sets the baseline and a user can still tune their editor.
 */
export function mergeConfig(fileText: string | undefined, settings: ExtensionSettings, configDir: string | undefined): { config: MeshtlsConfig; problems: ConfigProblem[] } {
  const { config, problems } = fileText === undefined ? { config: structuredClone(DEFAULT_CONFIG), problems: [] } : parseConfig(fileText);
  const c = vscode.workspace.getConfiguration(SECTION);
  const changed = (key: string) => {
    const i = c.inspect(key);
    return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
  };
  if (changed('rootNamespace')) config.rootNamespace = settings.rootNamespace;
  if (changed('expiryWarningDays')) config.expiryWarningDays = settings.expiryWarningDays;
  if (changed('targetIstioVersion') && settings.targetIstioVersion) {
    if (parseIstioVersion(settings.targetIstioVersion)) config.targetIstioVersion = settings.targetIstioVersion;
    else problems.push({ message: `The setting meshtls.targetIstioVersion "${settings.targetIstioVersion}" is not an Istio release such as "1.31"; using ${config.targetIstioVersion}.`, offset: 0 });
  }
  config.gatewayNamespaces = { ...config.gatewayNamespaces, ...settings.gatewayNamespaces };
  config.severity = { ...config.severity, ...settings.severity };
  config.ignore = [...config.ignore, ...settings.exclude];
  if (configDir !== undefined) (config as MeshtlsConfig & { configDir?: string }).configDir = configDir;
  return { config, problems };
}
