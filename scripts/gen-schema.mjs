#!/usr/bin/env node
// Generates the compact schemas meshtls validates against, from the CRDs themselves, so that field names, types,
// enums and every constraint the Kubernetes API server enforces (CEL rules, oneOf, required, ranges, patterns,
// formats, list uniqueness) come from Istio and the Gateway API, not from us:
//
//   src/core/istio/schema.generated.json         Istio (istio/api kubernetes/customresourcedefinitions.gen.yaml)
//   src/core/istio/gateway-api.schema.generated.json   Kubernetes Gateway API (config/crd/{standard,experimental})
//
//   node scripts/gen-schema.mjs [--istio path/to/customresourcedefinitions.gen.yaml] [--gateway-api path/to/dir] [--stdout]
//
// Without paths the CRDs are looked up as shared/vendor/{istio-api,gateway-api}/ beside the repository (CI keeps
// `shared/` next to the clone), then beside each ancestor folder (a git worktree sits one level deeper). The `SOURCE`
// file next to each names the revision; it is recorded in the output. `--stdout` prints both files as one JSON object
// `{istio, gatewayApi}` instead of writing them (the up-to-date test compares that with the committed files).
//
// Two files rather than one so that each keeps the revision it was made from, and a reader (or the gwapi rules)
// can tell which project a constraint comes from. Both are bundled; the loader in src/core/istio/schema.ts keys
// every kind by API group, so Istio's Gateway and the Gateway API's Gateway do not collide.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_ISTIO = join(REPO, 'src/core/istio/schema.generated.json');
const OUT_GWAPI = join(REPO, 'src/core/istio/gateway-api.schema.generated.json');
const ISTIO_VENDOR = join('shared', 'vendor', 'istio-api', 'customresourcedefinitions.gen.yaml');
const GWAPI_VENDOR = join('shared', 'vendor', 'gateway-api');

/** The Istio kinds meshtls lints and the API group each must come from (matches ISTIO_KINDS in src/core/istio/resource.ts). */
const ISTIO_KINDS = {
  Gateway: 'networking.istio.io',
  VirtualService: 'networking.istio.io',
  DestinationRule: 'networking.istio.io',
  PeerAuthentication: 'security.istio.io',
};

/** The Gateway API kinds whose schema is generated (the gwapi rules register them as resources). */
const GWAPI_KINDS = {
  Gateway: 'gateway.networking.k8s.io',
  GatewayClass: 'gateway.networking.k8s.io',
  HTTPRoute: 'gateway.networking.k8s.io',
  GRPCRoute: 'gateway.networking.k8s.io',
  TLSRoute: 'gateway.networking.k8s.io',
  TCPRoute: 'gateway.networking.k8s.io',
  UDPRoute: 'gateway.networking.k8s.io',
  ReferenceGrant: 'gateway.networking.k8s.io',
  ListenerSet: 'gateway.networking.k8s.io',
  BackendTLSPolicy: 'gateway.networking.k8s.io',
};

/**
 * Keywords carried over verbatim: everything the apiserver's structural-schema validation enforces. `format` is kept
 * only for the string formats Kubernetes checks (int32/int64/double are documentation there, and would cost space).
 */
const SCALAR_KEYWORDS = [
  'type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'minProperties', 'maxProperties', 'pattern', 'nullable', 'default',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
];
const CHECKED_FORMATS = new Set(['byte', 'date-time', 'date', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uri', 'email', 'hostname', 'duration', 'datetime']);
const VALIDATION_KEYS = ['rule', 'message', 'messageExpression', 'fieldPath', 'reason', 'optionalOldSelf'];

function findVendor(rel) {
  for (let dir = dirname(REPO); ; dir = dirname(dir)) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
export const defaultCrdPath = () => findVendor(ISTIO_VENDOR);

/**
 * The first sentence of a CRD description: hovers show it, and the whole text would triple the file size. A bare
 * label such as "Optional." or "Deprecated." says too little on its own, so the next sentence is kept with it.
 */
export function firstSentence(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[.!?])(?=\s+[A-Z`'"(]|$)/;
  const m = sentence.exec(flat);
  let s = m ? m[1] : flat;
  if (m && s.length <= 12) {
    const next = sentence.exec(flat.slice(s.length).trimStart());
    s = next ? `${s} ${next[1]}` : flat;
  }
  return s.length > 240 ? `${s.slice(0, 237).trimEnd()}...` : s;
}

/** A schema node reduced to what validation and hovers need. `sub` marks oneOf/anyOf/allOf/not branches (no descriptions). */
function compact(node, sub = false) {
  const out = {};
  if (!sub && typeof node.description === 'string' && node.description.trim()) out.description = firstSentence(node.description);
  for (const k of SCALAR_KEYWORDS) if (node[k] !== undefined) out[k] = node[k];
  if (typeof node.format === 'string' && CHECKED_FORMATS.has(node.format)) out.format = node.format;
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (Array.isArray(node.required) && node.required.length) out.required = node.required;
  if (node.properties) {
    out.properties = {};
    for (const name of Object.keys(node.properties)) out.properties[name] = compact(node.properties[name], sub);
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) out.items = compact(node.items, sub);
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'object' ? compact(node.additionalProperties, sub) : node.additionalProperties;
  }
  for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(node[k])) out[k] = node[k].map((n) => compact(n, true));
  if (node.not && typeof node.not === 'object') out.not = compact(node.not, true);
  const xv = node['x-kubernetes-validations'];
  if (Array.isArray(xv) && xv.length) {
    out['x-kubernetes-validations'] = xv.map((v) => {
      const o = {};
      for (const k of VALIDATION_KEYS) if (v[k] !== undefined) o[k] = v[k];
      return o;
    });
  }
  return out;
}

/**
 * Reads CRD documents and returns `{kinds, schemas}` for the wanted kinds: the `spec` schema of every served version
 * (plus root-level CEL rules, which see the whole object), stored once when versions share it.
 */
function collect(texts, wanted, { label }) {
  const kinds = {};
  const schemas = {};
  const seen = new Map();
  for (const text of texts) {
    for (const d of parseAllDocuments(text)) {
      const crd = d.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const kind = crd.spec?.names?.kind;
      if (!(kind in wanted) || crd.spec.group !== wanted[kind]) continue;
      const versions = {};
      // Sorted so the output does not depend on the order the CRD lists versions in.
      for (const v of [...crd.spec.versions].sort((a, b) => a.name.localeCompare(b.name))) {
        if (v.served === false) continue;
        const root = v.schema?.openAPIV3Schema;
        const spec = root?.properties?.spec;
        if (!spec) throw new Error(`${label} ${kind} ${v.name}: no spec schema`);
        const entry = { spec: compact(spec) };
        if (Array.isArray(root.required) && root.required.includes('spec')) entry.specRequired = true;
        if (root['x-kubernetes-validations']) entry.rootValidations = compact({ 'x-kubernetes-validations': root['x-kubernetes-validations'] }, true)['x-kubernetes-validations'];
        const text = JSON.stringify(entry);
        // Versions often serve the same schema; store it once and point each version at it.
        let id = seen.get(text);
        if (!id) {
          id = schemas[kind] ? `${kind}@${v.name}` : kind;
          seen.set(text, id);
          schemas[id] = JSON.parse(text);
        }
        versions[v.name] = id;
      }
      kinds[kind] = { group: crd.spec.group, versions };
    }
  }
  for (const k of Object.keys(wanted)) if (!kinds[k]) throw new Error(`${label}: CRD for ${k} not found`);
  return { kinds, schemas };
}

export function generate(crdText, sourceText) {
  const { kinds, schemas } = collect([crdText], ISTIO_KINDS, { label: 'istio' });
  const out = {
    $comment: 'Generated by scripts/gen-schema.mjs (npm run gen:schema) from Istio CRDs; do not edit.',
    source: sourceText.trim(),
    kinds,
    schemas,
  };
  return JSON.stringify(out, null, 1) + '\n';
}

/**
 * The Gateway API file. The experimental channel is a superset of the standard one (more fields, more served
 * versions, the same CEL rules on shared fields), so its schemas are the ones validated against: a field that only
 * the experimental channel declares must not be reported as unknown when the cluster may run that channel. Which
 * versions the standard channel serves is recorded per kind (`standard`), so rules can tell the two apart.
 */
export function generateGatewayApi(files, sourceText) {
  const pick = (channel) => files.filter((f) => f.channel === channel).map((f) => f.text);
  const exp = collect(pick('experimental'), GWAPI_KINDS, { label: 'gateway-api experimental' });
  const std = collect(pick('standard'), Object.fromEntries(Object.entries(GWAPI_KINDS).filter(([k]) => pick('standard').some((t) => t.includes(`kind: ${k}\n`)))), { label: 'gateway-api standard' });
  for (const [k, v] of Object.entries(exp.kinds)) v.standard = Object.keys(std.kinds[k]?.versions ?? {});
  const out = {
    $comment: 'Generated by scripts/gen-schema.mjs (npm run gen:schema) from the Kubernetes Gateway API CRDs (experimental channel, a superset of standard); do not edit.',
    source: sourceText.trim().split('\n').slice(0, 4).join('\n'),
    kinds: exp.kinds,
    schemas: exp.schemas,
  };
  return JSON.stringify(out, null, 1) + '\n';
}

function readGatewayApi(dir) {
  const files = [];
  for (const channel of ['standard', 'experimental']) {
    const d = join(dir, channel);
    for (const name of readdirSyncSafe(d)) {
      if (!name.startsWith('gateway.networking.k8s.io_') || !name.endsWith('.yaml') || name.includes('_vap_')) continue;
      files.push({ channel, text: readFileSync(join(d, name), 'utf8') });
    }
  }
  return files;
}

import { readdirSync } from 'node:fs';
function readdirSyncSafe(d) {
  return existsSync(d) ? readdirSync(d).sort() : [];
}

function main() {
  const args = process.argv.slice(2);
  const toStdout = args.includes('--stdout');
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const crdPath = opt('--istio') ?? process.env.MESHTLS_ISTIO_CRDS ?? defaultCrdPath();
  const gwDir = opt('--gateway-api') ?? process.env.MESHTLS_GATEWAY_API_CRDS ?? findVendor(GWAPI_VENDOR);
  if (!crdPath || !existsSync(crdPath)) {
    process.stderr.write(`gen-schema: Istio CRD file not found (${crdPath ?? `no ${ISTIO_VENDOR} beside the repository`}); pass --istio PATH.\n`);
    process.exit(2);
  }
  if (!gwDir || !existsSync(join(gwDir, 'experimental'))) {
    process.stderr.write(`gen-schema: Gateway API CRD folder not found (${gwDir ?? `no ${GWAPI_VENDOR} beside the repository`}); pass --gateway-api DIR.\n`);
    process.exit(2);
  }
  const sourceOf = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : `unknown revision: ${dirname(p)}`);
  const istio = generate(readFileSync(crdPath, 'utf8'), sourceOf(join(dirname(crdPath), 'SOURCE')));
  const gwapi = generateGatewayApi(readGatewayApi(gwDir), sourceOf(join(gwDir, 'SOURCE')));
  if (toStdout) process.stdout.write(JSON.stringify({ istio, gatewayApi: gwapi }));
  else {
    writeFileSync(OUT_ISTIO, istio);
    writeFileSync(OUT_GWAPI, gwapi);
    process.stdout.write(`gen-schema: wrote ${OUT_ISTIO} (${istio.length} bytes) from ${crdPath}\n`);
    process.stdout.write(`gen-schema: wrote ${OUT_GWAPI} (${gwapi.length} bytes) from ${gwDir}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
