import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { TEST_NOW } from '../support/golden';

// A planted-fault Gateway API workspace: the clean twin is examples/foocorp-gateway-api as committed; each fault is
// one realistic edit of it (certificate, grant, attachment, listener, option). Every fault must be found by the rules
// listed for it and by nothing else, and all of them together must all be found.

const EX = 'examples/foocorp-gateway-api';

function loadExample(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(EX, p).split(sep).join('/'), readFileSync(p));
    }
  };
  visit(EX);
  return out;
}

function lint(files: Map<string, Buffer>, opts: { target?: string; now?: Date } = {}): { ruleId: string; file: string; message: string }[] {
  const index = new WorkspaceIndex();
  for (const [id, bytes] of files) {
    if (/\.ya?ml$/.test(id)) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
  }
  const config = opts.target ? { ...DEFAULT_CONFIG, targetIstioVersion: opts.target } : DEFAULT_CONFIG;
  const now = opts.now ?? TEST_NOW;
  const byFile = new Linter({ config, now }).lint(index, now);
  return [...byFile.values()].flat().map((f) => ({ ruleId: f.ruleId, file: f.fileId, message: f.message }));
}

interface Edit {
  file: string;
  /** Text that occurs exactly once in the file; '' creates the file (it must not exist) with `to`. */
  from: string;
  to: string;
}

interface Fault extends Edit {
  what: string;
  /** Further edits of the same fault (a ListenerSet file and the Gateway change it needs). */
  also?: Edit[];
  expect: string[];
  /** targetIstioVersion for this fault (default: meshtls's default). */
  target?: string;
  /** The lint date, for faults of time (the example's certificates run to 2045). */
  now?: Date;
  /** Planted in the all-together workspace too (faults chosen so none hides another). */
  together?: boolean;
}


// Anchors in the clean twin used by several faults.
const FRONTEND_END = '              foocorp.com/ingress: "true"\n    - name: inventory\n';
/** The clean twin with `listener` (YAML lines) added after the frontend listener. */
const afterFrontend = (listener: string) => `              foocorp.com/ingress: "true"\n${listener}    - name: inventory\n`;
const FRONTEND_ALLOWED = '          - name: frontend-credential\n      allowedRoutes:\n        namespaces:\n          from: Selector\n          selector:\n            matchLabels:\n              foocorp.com/ingress: "true"\n';
const WRONG_CHAIN =
  readFileSync(join(EX, 'frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem'), 'utf8') +
  readFileSync(join(EX, 'inventory.foocorp.com/2_intermediate/certs/intermediate.cert.pem'), 'utf8');
const CA_LINE = '  --from-file=ca.crt=foocorp-client-ca.pem\n';
const LISTENER_SET = `apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: frontend-alt
  namespace: foocorp
spec:
  parentRef:
    name: foocorp-gateway
  listeners:
    - name: frontend-alt
      hostname: frontend.foocorp.com
      port: 8443
      protocol: HTTPS
      tls:
        mode: Terminate
        certificateRefs:
          - name: frontend-credential
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels:
              foocorp.com/ingress: "true"
`;
const ALLOW_SAME: Edit = { file: 'gateway.yaml', from: 'spec:\n  gatewayClassName: istio\n', to: 'spec:\n  gatewayClassName: istio\n  allowedListeners:\n    namespaces:\n      from: Same\n' };
/** A ListenerSet in namespace partners, admitted by allowedListeners All, with its certificate created there. */
const PARTNERS_SET = LISTENER_SET.replace('  namespace: foocorp\nspec:\n  parentRef:\n    name: foocorp-gateway\n', '  namespace: partners\nspec:\n  parentRef:\n    name: foocorp-gateway\n    namespace: foocorp\n').replace('- name: frontend-credential', '- name: partner-credential');
const PARTNERS_EDITS: Edit[] = [
  { ...ALLOW_SAME, to: ALLOW_SAME.to.replace('from: Same', 'from: All') },
  { file: 'create-secrets.sh', from: CA_LINE, to: `${CA_LINE}\nkubectl create -n partners secret tls partner-credential \\\n  --cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\\n  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem\n` },
];
const LS_ROUTE: Edit = {
  file: 'httproutes.yaml',
  from: '          port: 8080\n---\n',
  to: `          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: frontend-alt
  namespace: frontend
spec:
  parentRefs:
    - group: gateway.networking.k8s.io
      kind: ListenerSet
      name: frontend-alt
      namespace: foocorp
      sectionName: frontend-alt
  hostnames:
    - frontend.foocorp.com
  rules:
    - backendRefs:
        - name: frontend
          port: 8080
---
`,
};

const FAULTS: Fault[] = [
  // certificates
  { what: 'the frontend Secret gets the inventory key', file: 'create-secrets.sh', from: '--key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem', to: '--key=inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem', expect: ['key-cert-mismatch'], together: true },
  { what: 'the client CA bundle holds only the frontend chain', file: 'create-secrets.sh', from: '--from-file=ca.crt=foocorp-client-ca.pem', to: '--from-file=ca.crt=frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem', expect: ['client-ca-mismatch'], together: true },
  { what: 'the CA ConfigMap key is named after the file', file: 'create-secrets.sh', from: '--from-file=ca.crt=foocorp-client-ca.pem', to: '--from-file=foocorp-client-ca.pem', expect: ['credential-secret-keys', 'credential-secret-keys'] },
  { what: 'the frontend Secret is created in istio-system, as for an Istio Gateway', file: 'create-secrets.sh', from: 'kubectl create -n foocorp secret tls frontend-credential', to: 'kubectl create -n istio-system secret tls frontend-credential', expect: ['credential-wrong-namespace'] },
  { what: 'three certificateRefs on one listener', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-rsa\n          - name: frontend-ecdsa\n', expect: ['gateway-api-certificate-ref-count'] },
  { what: 'a certificateRef of group core', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - group: core\n            name: frontend-credential\n', expect: ['gateway-api-certificate-ref-kind'] },
  { what: 'two caCertificateRefs', file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n            - group: ""\n              kind: ConfigMap\n              name: partner-client-ca\n', expect: ['gateway-api-ca-certificate-ref-invalid'] },
  { what: 'the CA ConfigMap is not created', file: 'create-secrets.sh', from: 'configmap foocorp-client-ca', to: 'configmap foocorp-client-cas', expect: ['mutual-without-ca'] },
  // grants
  { what: 'the ReferenceGrant names the wrong referrer namespace', file: 'reference-grant.yaml', from: '      namespace: foocorp\n', to: '      namespace: istio-ingress\n', expect: ['gateway-api-ref-not-permitted'], together: true },
  { what: 'the ReferenceGrant lives in the Gateway\'s namespace', file: 'reference-grant.yaml', from: '  namespace: foocorp-certs\n', to: '  namespace: foocorp\n', expect: ['gateway-api-ref-not-permitted'] },
  // attachment
  { what: 'an HTTPRoute parentRef leaves the namespace out', file: 'httproutes.yaml', from: '      namespace: foocorp\n      sectionName: frontend\n', to: '      sectionName: frontend\n', expect: ['gateway-api-parent-not-found'], together: true },
  { what: 'a sectionName typo', file: 'httproutes.yaml', from: 'sectionName: inventory', to: 'sectionName: inventroy', expect: ['gateway-api-parent-section-not-found'], together: true },
  { what: 'a route hostname the listener does not serve', file: 'httproutes.yaml', from: '    - inventory.foocorp.com\n', to: '    - stock.foocorp.com\n', expect: ['gateway-api-route-hostname-mismatch'] },
  { what: 'the route namespace lacks the label the listener selects', file: 'namespaces.yaml', from: '  name: inventory\n  labels:\n    foocorp.com/ingress: "true"\n', to: '  name: inventory\n  labels:\n    foocorp.com/ingress: "false"\n', expect: ['gateway-api-route-not-allowed'] },
  // listeners
  { what: 'a lower-case protocol', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: HTTPS\n', to: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: https\n', expect: ['gateway-api-listener-protocol-unsupported', 'gateway-api-parent-section-not-found'] },
  { what: 'HTTPS with Passthrough', file: 'gateway.yaml', from: '        mode: Terminate\n        certificateRefs:\n          - name: frontend-credential', to: '        mode: Passthrough\n        certificateRefs:\n          - name: frontend-credential', expect: ['schema-cel-violation'] },
  { what: 'two listeners for one hostname', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n', to: '      hostname: frontend.foocorp.com\n', expect: ['schema-cel-violation', 'gateway-api-parent-section-not-found', 'cert-host-mismatch'] },
  { what: 'an HTTPS and a passthrough TLS listener for one host on 443', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: HTTPS\n      tls:\n        mode: Terminate\n', to: '      hostname: frontend.foocorp.com\n      port: 443\n      protocol: TLS\n      tls:\n        mode: Passthrough\n', expect: ['gateway-api-listener-conflict', 'gateway-api-listener-tls-mode', 'gateway-api-client-validation-ignored', 'gateway-api-parent-section-not-found'] },
  { what: 'a misspelt gateway class', file: 'gateway.yaml', from: 'gatewayClassName: istio', to: 'gatewayClassName: isito', expect: ['gateway-api-gateway-class-unknown'] },
  // options
  { what: 'tls-terminate-mode in lower case', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: mutual\n', expect: ['gateway-api-tls-option-invalid'], together: true },
  { what: 'an ISTIO_SIMPLE listener under client validation', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: ISTIO_SIMPLE\n', expect: ['gateway-api-client-validation-ignored'] },
  { what: 'an unknown cipher suite name', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-cipher-suites: TLS_AES_256_GCM_SHA384\n', expect: ['gateway-api-tls-option-invalid'] },
  // ---- Issue 11 §2, item by item (each a realistic edit of the clean twin) ----
  // protocols and tls.mode per protocol
  { what: 'a UDP listener', file: 'gateway.yaml', from: FRONTEND_END, to: afterFrontend(`    - name: metrics\n      port: 9000\n      protocol: UDP\n`), expect: ['gateway-api-listener-protocol-unsupported'], together: true },
  { what: 'an HTTPS listener without tls', file: 'gateway.yaml', from: '      protocol: HTTPS\n      tls:\n        mode: Terminate\n        certificateRefs:\n          - name: frontend-credential\n', to: '      protocol: HTTPS\n', expect: ['gateway-api-listener-tls-missing', 'gateway-api-parent-section-not-found'] },
  { what: 'an HTTPS listener without tls, Istio 1.30 (built without TLS)', target: '1.30', file: 'gateway.yaml', from: '      protocol: HTTPS\n      tls:\n        mode: Terminate\n        certificateRefs:\n          - name: frontend-credential\n', to: '      protocol: HTTPS\n', expect: ['gateway-api-listener-tls-missing'] },
  { what: 'a Terminate listener with only options', file: 'gateway.yaml', from: '        certificateRefs:\n          - name: frontend-credential\n', to: '        options:\n          gateway.istio.io/tls-cipher-suites: ECDHE-RSA-AES128-GCM-SHA256\n', expect: ['gateway-api-listener-tls-mode'] },
  { what: 'tls on an HTTP listener', file: 'gateway.yaml', from: FRONTEND_END, to: afterFrontend(`    - name: http\n      port: 80\n      protocol: HTTP\n      tls:\n        certificateRefs:\n          - name: frontend-credential\n`), expect: ['schema-cel-violation'] },
  // listener conflicts
  { what: 'a TCP listener on the HTTPS port', file: 'gateway.yaml', from: FRONTEND_END, to: afterFrontend(`    - name: raw\n      port: 443\n      protocol: TCP\n`), expect: ['gateway-api-listener-conflict'] },
  { what: 'an HTTP listener for the same host on 443', file: 'gateway.yaml', from: FRONTEND_END, to: afterFrontend(`    - name: plain\n      hostname: frontend.foocorp.com\n      port: 443\n      protocol: HTTP\n`), expect: ['gateway-api-listener-conflict'] },
  // certificateRefs count per Istio version, kinds and groups
  { what: 'two certificateRefs on Istio 1.26', target: '1.26', file: 'create-secrets.sh', from: CA_LINE, to: `${CA_LINE}\nkubectl create -n foocorp secret tls frontend-ecdsa \\\n  --cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\\n  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem\n`, also: [{ file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-ecdsa\n' }], expect: ['gateway-api-certificate-ref-count', 'gateway-api-client-validation-ignored'] },
  { what: 'a certificateRef of kind ConfigMap', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - kind: ConfigMap\n            name: frontend-credential\n', expect: ['gateway-api-certificate-ref-kind'] },
  { what: 'two certificateRefs, the first Secret missing (Istio silent, empty credential)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-rsa\n          - name: frontend-credential\n', expect: ['gateway-api-certificate-ref-silently-dropped'] },
  { what: 'two certificateRefs, the first of kind ConfigMap (Istio silent)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - kind: ConfigMap\n            name: frontend-credential\n          - name: frontend-credential\n', expect: ['gateway-api-certificate-ref-silently-dropped'] },
  { what: 'two certificateRefs, the first not permitted (Istio silent)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n            namespace: foocorp-certs\n          - name: frontend-credential\n', expect: ['gateway-api-certificate-ref-silently-dropped'] },
  { what: 'two certificateRefs, the second Secret missing (Istio silent, one certificate served)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-ecdsa\n', expect: ['gateway-api-certificate-ref-silently-dropped'] },
  { what: 'two certificateRefs, the second Secret with a key of another certificate (Istio silent)', file: 'create-secrets.sh', from: CA_LINE, to: `${CA_LINE}\nkubectl create -n foocorp secret generic frontend-ecdsa \\\n  --from-file=tls.crt=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\\n  --from-file=tls.key=inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem\n`, also: [{ file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-ecdsa\n' }], expect: ['gateway-api-certificate-ref-silently-dropped'] },
  { what: 'two certificateRefs, the second issued by cert-manager (nothing to report)', file: 'certificate.yaml', from: '', to: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: frontend-ecdsa\n  namespace: foocorp\nspec:\n  secretName: frontend-ecdsa\n  dnsNames: [frontend.foocorp.com]\n  privateKey: {algorithm: ECDSA}\n  issuerRef: {name: foocorp-ca, kind: ClusterIssuer}\n', also: [{ file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-ecdsa\n' }], expect: [] },
  { what: 'two certificateRefs, both bad (Istio reports the first error)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - kind: ConfigMap\n            name: frontend-credential\n          - group: core\n            name: frontend-credential\n', expect: ['gateway-api-certificate-ref-kind', 'gateway-api-certificate-ref-kind'] },
  // Secret namespace vs ReferenceGrant
  { what: 'the ReferenceGrant names another Secret', file: 'reference-grant.yaml', from: '      name: inventory-credential\n', to: '      name: inventory-tls\n', expect: ['gateway-api-ref-not-permitted'] },
  { what: 'an unnamed ReferenceGrant (every Secret of the namespace)', file: 'reference-grant.yaml', from: '      name: inventory-credential\n', to: '', expect: [] },
  { what: 'the ReferenceGrant is from HTTPRoutes', file: 'reference-grant.yaml', from: '      kind: Gateway\n', to: '      kind: HTTPRoute\n', expect: ['gateway-api-ref-not-permitted'] },
  { what: 'the ReferenceGrant is not applied (commented out)', file: 'reference-grant.yaml', from: 'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant', to: '# apiVersion: gateway.networking.k8s.io/v1beta1\n# kind: ReferenceGrant', expect: ['gateway-api-ref-not-permitted'] },
  // CA refs: count, kind, keys, namespace
  { what: 'a CA ref of kind Secret on Istio 1.30', target: '1.30', file: 'create-secrets.sh', from: 'kubectl create -n foocorp configmap foocorp-client-ca \\\n  --from-file=ca.crt=', to: 'kubectl create -n foocorp secret generic foocorp-client-ca \\\n  --from-file=ca.crt=', also: [{ file: 'gateway.yaml', from: '              kind: ConfigMap\n', to: '              kind: Secret\n' }], expect: ['gateway-api-ca-certificate-ref-invalid'] },
  { what: 'a CA ref of kind Secret on Istio 1.31', file: 'create-secrets.sh', from: 'kubectl create -n foocorp configmap foocorp-client-ca \\\n  --from-file=ca.crt=', to: 'kubectl create -n foocorp secret generic foocorp-client-ca \\\n  --from-file=ca.crt=', also: [{ file: 'gateway.yaml', from: '              kind: ConfigMap\n', to: '              kind: Secret\n' }], expect: [] },
  { what: 'a CA ref of group core', file: 'gateway.yaml', from: '            - group: ""\n              kind: ConfigMap\n', to: '            - group: core\n              kind: ConfigMap\n', expect: ['gateway-api-ca-certificate-ref-invalid'] },
  { what: 'a CA ref of kind Service', file: 'gateway.yaml', from: '              kind: ConfigMap\n', to: '              kind: Service\n', expect: ['gateway-api-ca-certificate-ref-invalid'] },
  { what: 'the CA ConfigMap in another namespace without a grant', file: 'create-secrets.sh', from: 'kubectl create -n foocorp configmap', to: 'kubectl create -n foocorp-certs configmap', also: [{ file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n              namespace: foocorp-certs\n' }], expect: ['gateway-api-ref-not-permitted'] },
  { what: 'the CA ConfigMap granted by name (Istio checks "<name>-cacert")', file: 'create-secrets.sh', from: 'kubectl create -n foocorp configmap', to: 'kubectl create -n foocorp-certs configmap', also: [{ file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n              namespace: foocorp-certs\n' }, { file: 'reference-grant.yaml', from: '      name: inventory-credential\n', to: '      name: inventory-credential\n    - group: ""\n      kind: ConfigMap\n      name: foocorp-client-ca\n' }], expect: ['gateway-api-ref-not-permitted'] },
  { what: 'the CA ConfigMap granted without a name', file: 'create-secrets.sh', from: 'kubectl create -n foocorp configmap', to: 'kubectl create -n foocorp-certs configmap', also: [{ file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n              namespace: foocorp-certs\n' }, { file: 'reference-grant.yaml', from: '      name: inventory-credential\n', to: '      name: inventory-credential\n    - group: ""\n      kind: ConfigMap\n' }], expect: [] },
  // options: exact values
  { what: 'tls-terminate-mode "Mutual"', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: Mutual\n', expect: ['gateway-api-tls-option-invalid'] },
  { what: 'tls-terminate-mode "SIMPLE"', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: SIMPLE\n', expect: ['gateway-api-tls-option-invalid'] },
  { what: 'tls-terminate-mode MUTUAL (valid)', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: MUTUAL\n', expect: [] },
  { what: 'listener-protocol "auto_passthrough"', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/listener-protocol: auto_passthrough\n', expect: ['gateway-api-tls-option-invalid'] },
  { what: 'tls-cipher-suites on Istio 1.28 (not read)', target: '1.28', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-cipher-suites: ECDHE-RSA-AES128-GCM-SHA256\n', expect: ['gateway-api-tls-option-invalid'] },
  { what: 'an unknown gateway.istio.io option key', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-mode: MUTUAL\n', expect: ['gateway-api-tls-option-invalid'] },
  // parentRefs, sectionName/port, hostnames
  { what: 'a parentRef to a Gateway name that does not exist', file: 'httproutes.yaml', from: '    - name: foocorp-gateway\n      namespace: foocorp\n      sectionName: frontend\n', to: '    - name: foocorp-gw\n      namespace: foocorp\n      sectionName: frontend\n', expect: ['gateway-api-parent-not-found'] },
  { what: 'a parentRef port no listener uses', file: 'httproutes.yaml', from: '      sectionName: frontend\n', to: '      port: 8443\n', expect: ['gateway-api-parent-section-not-found'] },
  { what: 'a wildcard route hostname below the listener host', file: 'httproutes.yaml', from: '    - frontend.foocorp.com\n', to: '    - "*.frontend.foocorp.com"\n', expect: ['gateway-api-route-hostname-mismatch'] },
  { what: 'a wildcard route hostname covering the listener host', file: 'httproutes.yaml', from: '    - frontend.foocorp.com\n', to: '    - "*.foocorp.com"\n', expect: [] },
  { what: 'a wildcard listener hostname the certificate does not cover', file: 'gateway.yaml', from: '      hostname: frontend.foocorp.com\n', to: '      hostname: "*.foocorp.com"\n', expect: ['cert-host-mismatch'] },
  // allowedRoutes namespaces (Same/All/Selector) and kinds
  { what: 'allowedRoutes left at Same', file: 'gateway.yaml', from: FRONTEND_ALLOWED, to: '          - name: frontend-credential\n', expect: ['gateway-api-route-not-allowed'] },
  { what: 'allowedRoutes from All', file: 'gateway.yaml', from: FRONTEND_ALLOWED, to: '          - name: frontend-credential\n      allowedRoutes:\n        namespaces:\n          from: All\n', expect: [] },
  { what: 'allowedRoutes kinds TLSRoute on HTTPS', file: 'gateway.yaml', from: FRONTEND_ALLOWED, to: `${FRONTEND_ALLOWED}        kinds:\n          - kind: TLSRoute\n`, expect: ['gateway-api-allowed-route-kinds-invalid', 'gateway-api-route-not-allowed'] },
  { what: 'a Selector with matchExpressions the namespace fails', file: 'gateway.yaml', from: FRONTEND_ALLOWED, to: '          - name: frontend-credential\n      allowedRoutes:\n        namespaces:\n          from: Selector\n          selector:\n            matchExpressions:\n              - key: foocorp.com/ingress\n                operator: In\n                values: ["yes"]\n', expect: ['gateway-api-route-not-allowed'] },
  // certificates on listeners
  { what: 'the certificates have expired (linted in 2046)', now: new Date('2046-01-01T00:00:00Z'), file: 'gateway.yaml', from: '# The FooCorp', to: '# The FooCorp', expect: ['cert-expired', 'cert-expired'] },
  { what: 'the frontend Secret chains to the inventory intermediate', file: 'create-secrets.sh', from: '--cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem', to: '--cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.wrongchain.pem', also: [{ file: 'frontend.foocorp.com/3_application/certs/frontend.foocorp.com.wrongchain.pem', from: '', to: WRONG_CHAIN }], expect: ['cert-chain-order'] },
  { what: 'the frontend Secret serves the client certificate', file: 'create-secrets.sh', from: '--cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\\n  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem', to: '--cert=frontend.foocorp.com/4_client/certs/frontend.foocorp.com.cert.pem \\\n  --key=frontend.foocorp.com/4_client/private/frontend.foocorp.com.key.pem', expect: ['cert-key-usage', 'cert-no-san'] },
  // ListenerSet: allowedListeners, conflicts with the Gateway's listeners, routes attaching through kind ListenerSet
  { what: 'a ListenerSet admitted by allowedListeners Same, with a route on it', file: 'listenerset.yaml', from: '', to: LISTENER_SET, also: [ALLOW_SAME, LS_ROUTE], expect: [] },
  { what: 'a ListenerSet on a Gateway without allowedListeners', file: 'listenerset.yaml', from: '', to: LISTENER_SET, also: [LS_ROUTE], expect: ['gateway-api-listener-set-not-allowed'], together: true },
  { what: 'a ListenerSet from another namespace under allowedListeners Same', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('  namespace: foocorp\nspec:\n  parentRef:\n    name: foocorp-gateway\n', '  namespace: frontend\nspec:\n  parentRef:\n    name: foocorp-gateway\n    namespace: foocorp\n'), also: [ALLOW_SAME], expect: ['gateway-api-listener-set-not-allowed'] },
  { what: 'a ListenerSet from a namespace the allowedListeners selector does not pick', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('  namespace: foocorp\nspec:\n  parentRef:\n    name: foocorp-gateway\n', '  namespace: frontend\nspec:\n  parentRef:\n    name: foocorp-gateway\n    namespace: foocorp\n'), also: [{ file: 'gateway.yaml', from: 'spec:\n  gatewayClassName: istio\n', to: 'spec:\n  gatewayClassName: istio\n  allowedListeners:\n    namespaces:\n      from: Selector\n      selector:\n        matchLabels:\n          foocorp.com/listeners: "true"\n' }], expect: ['gateway-api-listener-set-not-allowed'] },
  { what: 'a ListenerSet whose parentRef leaves the namespace out', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('  namespace: foocorp\nspec:\n', '  namespace: frontend\nspec:\n'), also: [{ file: 'gateway.yaml', from: 'spec:\n  gatewayClassName: istio\n', to: 'spec:\n  gatewayClassName: istio\n  allowedListeners:\n    namespaces:\n      from: All\n' }], expect: ['gateway-api-listener-set-not-allowed', 'credential-wrong-namespace'] },
  { what: 'a ListenerSet listener that conflicts with a Gateway listener', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('      port: 8443\n', '      port: 443\n'), also: [ALLOW_SAME, LS_ROUTE], expect: ['gateway-api-listener-conflict', 'gateway-api-parent-section-not-found'] },
  { what: 'a route on a ListenerSet with a sectionName typo', file: 'listenerset.yaml', from: '', to: LISTENER_SET, also: [ALLOW_SAME, { ...LS_ROUTE, to: LS_ROUTE.to.replace('sectionName: frontend-alt', 'sectionName: frontend-alternate') }], expect: ['gateway-api-parent-section-not-found'] },
  { what: 'a ListenerSet in another namespace, whose listeners read the Gateway\'s namespace-less CA ref in their own namespace', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('  namespace: foocorp\nspec:\n  parentRef:\n    name: foocorp-gateway\n', '  namespace: partners\nspec:\n  parentRef:\n    name: foocorp-gateway\n    namespace: foocorp\n').replace('- name: frontend-credential', '- name: partner-credential'), also: [{ ...ALLOW_SAME, to: ALLOW_SAME.to.replace('from: Same', 'from: All') }, { file: 'create-secrets.sh', from: CA_LINE, to: `${CA_LINE}\nkubectl create -n partners secret tls partner-credential \\\n  --cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\\n  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem\n` }], expect: ['mutual-without-ca'] },
  { what: 'a ListenerSet in another namespace reading the Gateway\'s CA ConfigMap by namespace, without a grant from ListenerSets', file: 'listenerset.yaml', from: '', to: PARTNERS_SET, also: [...PARTNERS_EDITS, { file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n              namespace: foocorp\n' }], expect: ['gateway-api-ref-not-permitted'] },
  { what: 'the same, with an unnamed ReferenceGrant from ListenerSets in partners (clean)', file: 'listenerset.yaml', from: '', to: PARTNERS_SET, also: [...PARTNERS_EDITS, { file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n              namespace: foocorp\n' }, { file: 'partners-grant.yaml', from: '', to: 'apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata:\n  name: partners-client-ca\n  namespace: foocorp\nspec:\n  from:\n    - group: gateway.networking.k8s.io\n      kind: ListenerSet\n      namespace: partners\n  to:\n    - group: ""\n      kind: ConfigMap\n' }], expect: [] },
  { what: 'a ListenerSet certificate in another namespace granted to the Gateway only', file: 'listenerset.yaml', from: '', to: LISTENER_SET.replace('          - name: frontend-credential\n', '          - name: inventory-credential\n            namespace: foocorp-certs\n').replace('hostname: frontend.foocorp.com', 'hostname: inventory.foocorp.com'), also: [ALLOW_SAME], expect: ['gateway-api-ref-not-permitted'] },
];

function plant(files: Map<string, Buffer>, f: Fault): Map<string, Buffer> {
  const out = new Map(files);
  for (const e of [f, ...(f.also ?? [])]) {
    if (e.from === '') {
      assert.ok(!out.has(e.file), `${f.what}: ${e.file} must not exist yet`);
      out.set(e.file, Buffer.from(e.to));
      continue;
    }
    const text = out.get(e.file)!.toString('utf8');
    const at = text.indexOf(e.from);
    assert.ok(at >= 0 && text.indexOf(e.from, at + 1) < 0, `${f.what}: "${e.from}" must occur exactly once in ${e.file}`);
    out.set(e.file, Buffer.from(text.slice(0, at) + e.to + text.slice(at + e.from.length)));
  }
  return out;
}

test('the clean twin (the example as committed) has no finding at all', () => {
  assert.deepEqual(lint(loadExample()), []);
});

for (const f of FAULTS) {
  test(`planted: ${f.what}`, () => {
    const found = lint(plant(loadExample(), f), { target: f.target, now: f.now });
    assert.deepEqual(found.map((x) => x.ruleId).sort(), [...f.expect].sort(), JSON.stringify(found, null, 1));
  });
}

test('all faults that touch different lines, planted together, are all found', () => {
  let files = loadExample();
  const planted = FAULTS.filter((f) => f.together);
  for (const f of planted) files = plant(files, f);
  const found = lint(files).map((x) => x.ruleId).sort();
  assert.deepEqual(found, planted.flatMap((f) => f.expect).sort());
  assert.equal(planted.length, 8);
});
