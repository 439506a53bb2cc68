import type { WorkspaceIndex } from './workspace-index';
import type { Resource } from '../istio/resource';
import type { PathSegment } from '../yaml/documents';
import { documentAt, locateScalar, type Located } from '../yaml/locate';

export interface PositionInfo extends Located {
  /** The resource containing the scalar, when it is one meshtls knows. */
  resource?: Resource;
  /** The path relative to the resource (e.g. ['spec','servers',0,'tls','credentialName']). */
  resourcePath: PathSegment[];
}

/** What sits at a file offset: the scalar, its path, and the Istio/Kubernetes resource around it. */
export function queryAt(index: WorkspaceIndex, fileId: string, offset: number): PositionInfo | undefined {
  const entry = index.yamlFiles.get(fileId);
  if (!entry) return undefined;
  const d = documentAt(entry.docs, offset);
  if (!d) return undefined;
  const loc = locateScalar(d, offset);
  if (!loc) return undefined;
  const resource = entry.resources.find((r) => r.doc === d && r.path.every((seg, i) => loc.path[i] === seg));
  return { ...loc, resource, resourcePath: resource ? loc.path.slice(resource.path.length) : loc.path };
}

/** True when `path` matches `pattern`, where `*` matches any one segment (e.g. ['spec','servers','*','hosts','*']). */
export function pathMatches(path: readonly PathSegment[], pattern: readonly (PathSegment | '*')[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => p === '*' || p === path[i]);
}
