// Value checks the webhook applies inside HTTP routes (validateHTTPRoute and its helpers in Istio's
// pkg/config/validation), shared by the area rules. Each returns Istio's verdict as a short reason; the rules word
// the message around the offending value.
import { durationPrecisionProblem } from '../../istio/duration';
import { re2Problem } from './re2';

/** Go's net/http.StatusText knows these codes; Istio accepts any of them as a retryOn policy. */
const HTTP_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404,
  405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502,
  503, 504, 505, 506, 507, 508, 510, 511,
]);

/** Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on policies, as Istio lists them (supportedRetryOnPolicies). */
export const RETRY_ON_POLICIES: ReadonlySet<string> = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** A retryOn entry is valid when it is a known policy or an HTTP status code Go can name (strconv.Atoi, no spaces). */
export function isRetryOnPolicy(p: string): boolean {
  if (RETRY_ON_POLICIES.has(p)) return true;
  return /^[+-]?[0-9]+$/.test(p) && HTTP_STATUS_CODES.has(Number(p));
}

/** gRPC status names Istio accepts for an abort (grpc.SupportedGRPCStatus). */
export const GRPC_STATUS_NAMES: ReadonlySet<string> = new Set([
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
]);

/** validateHTTPStatus: Istio's bound is 200..600 inclusive (its message says 200-599). */
export function isHttpStatusInRange(n: number): boolean {
  return n >= 200 && n <= 600;
}

/** validatePercentage for a `{value}` Percent: 0, or 0.0001..100. */
export function isBadPercentage(v: unknown): v is number {
  return typeof v === 'number' && (v < 0 || v > 100 || (v > 0 && v < 0.0001));
}

export const MAX_REGEX = 1024;

/** validateStringRegexp: at most 1024 characters and RE2 syntax. */
export function regexProblem(re: string): string | undefined {
  if (re.length > MAX_REGEX) return `it is ${re.length} characters long, more than the ${MAX_REGEX} Istio allows`;
  return re2Problem(re);
}

export { durationPrecisionProblem };

/** Envoy's header value grammar (header_parser.cc, ported by Istio as validateHeaderValue): `%` starts a variable. */
export function headerValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return 'it contains a control character';
  type State = 'literal' | 'name' | 'array' | 'string-start' | 'string' | 'delim' | 'args-end' | 'var-end';
  let state: State = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return 'it ends with an unescaped "%" (write "%%" for a literal percent sign)';
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'string-start';
        else if (ch !== ' ') state = 'string';
        break;
      case 'delim':
        if (ch === ',') state = 'string-start';
        else if (ch === ']') state = 'args-end';
        else if (ch !== ' ') return `it has "${ch}" where a variable's argument list expects ",", "]" or a space`;
        break;
      case 'string-start':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return `it has "${ch}" where a variable's argument list expects '"'`;
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return 'it ends inside a backslash escape';
          pos++;
        } else if (ch === ')') state = 'var-end';
        else if (ch === '"') state = 'delim';
        break;
      case 'args-end':
        if (ch === ')') state = 'var-end';
        else if (ch !== ' ') return `it has "${ch}" where a variable expects ")"`;
        break;
      case 'var-end':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return `it has "${ch}" where a variable expects its closing "%"`;
        break;
    }
  }
  if (state !== 'literal') return 'a %VARIABLE% expression is not terminated (write "%%" for a literal percent sign)';
  return undefined;
}
