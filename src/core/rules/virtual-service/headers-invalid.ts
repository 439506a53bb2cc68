import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { headerValueProblem } from './http-checks';

type Emit = (path: PathSegment[], message: string, which?: 'key' | 'value') => void;

const isAuthority = (name: string) => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

/**
 * ValidateHTTPHeaderWithAuthorityOperationName (request set/add) and ValidateHTTPHeaderOperationName (the rest), as
 * a message about the header `name` found in `where` (e.g. `the request set of the http route #0`).
 */
function nameProblem(name: string, requestWrite: boolean, where: string): string | undefined {
  if (name === '') return `${cap(where)} has an empty header name.`;
  const colon = `Header "${name}" in ${where} cannot have a ":" prefix.`;
  if (requestWrite) return name.startsWith(':') && !isAuthority(name) ? colon : undefined;
  if (name.toLowerCase() === 'host') return `Header "${name}" in ${where} is the Host header, which cannot be changed there.`;
  return name.startsWith(':') ? colon : undefined;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One `headers:` block (request and response add/set/remove). */
function checkHeaders(headers: unknown, path: PathSegment[], where: string, emit: Emit): void {
  const h = asObject(headers);
  if (!h) return;
  for (const side of ['request', 'response'] as const) {
    const ops = asObject(h[side]);
    if (!ops) continue;
    for (const op of ['set', 'add'] as const) {
      const map = asObject(ops[op]);
      if (!map) continue;
      for (const [name, value] of Object.entries(map)) {
        const at = [...path, side, op, name];
        const np = nameProblem(name, side === 'request', `the ${side} ${op} of ${where}`);
        if (np) emit(at, np, 'key');
        const vp = typeof value === 'string' ? headerValueProblem(value) : undefined;
        if (vp) emit(at, `The value of ${side} header "${name}" in ${where} is invalid: ${vp}.`);
      }
    }
    const remove = Array.isArray(ops.remove) ? ops.remove : [];
    remove.forEach((name, i) => {
      if (typeof name !== 'string') return;
      const np = nameProblem(name, false, `the ${side} remove of ${where}`);
      if (np) emit([...path, side, 'remove', i], np);
    });
  }
}

/**
 * Header manipulation (HR-11, HR-12): request set/add may not touch pseudo-headers other than `:authority`;
 * response operations and removals may not touch Host or pseudo-headers; values follow Envoy's `%VARIABLE%` grammar
 * (a literal `%` is written `%%`) without control characters; and the authority is rewritten in one place only.
 */
export const virtualServiceHeadersInvalid: ResourceRule = {
  id: 'virtual-service-headers-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Header operations must not touch pseudo-headers or Host, values must escape "%", and the authority is set once.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    const emit: Emit = (path, message, which = 'value') => out.push(finding(this, spanIn(vs, path, which), message));
    for (const r of routesOf(vs, 'http')) {
      const h = r.route;
      if (!h) continue;
      checkHeaders(h.headers, [...r.path, 'headers'], `the ${r.label}`, emit);
      const dests = Array.isArray(h.route) ? h.route : [];
      dests.forEach((d, i) => checkHeaders(asObject(d)?.headers, [...r.path, 'route', i, 'headers'], `destination #${i} of the ${r.label}`, emit));
      // validateAuthorityRewrite: rewrite.authority, then request set, then request add; a second source is an error.
      const sources: { value: string; path: PathSegment[] }[] = [];
      const rw = asObject(h.rewrite)?.authority;
      if (typeof rw === 'string') sources.push({ value: rw, path: [...r.path, 'rewrite', 'authority'] });
      const req = asObject(asObject(h.headers)?.request);
      for (const op of ['set', 'add'] as const) {
        for (const [name, value] of Object.entries(asObject(req?.[op]) ?? {})) {
          if (isAuthority(name)) sources.push({ value: typeof value === 'string' ? value : '', path: [...r.path, 'headers', 'request', op, name] });
        }
      }
      let current = '';
      for (const s of sources) {
        if (current !== '' && s.path[s.path.length - 2] !== 'rewrite') {
          emit(s.path, `The ${r.label} sets the authority twice: it is already "${current}", and this sets "${s.value}".`, 'key');
          break;
        }
        current = s.value;
      }
    }
    return out;
  },
};
