// Hostile inputs shared by test/cli/hostile-scale.test.ts (bounded memory, no crash) and bench/cross-stress.ts
// (time per resource at each size). Each case once took minutes or gigabytes, or overflowed the stack.

export interface HostileCase {
  name: string;
  files(): [string, string][];
  /** A higher memory bound than the default, where the output itself is that large. */
  maxRssMb?: number;
  /**
   * A lower CPU bound than the default, where the old cost grew with the square of the input but stayed under the
   * default at a size a test can afford; still several times what a loaded machine needs.
   */
  maxCpuS?: number;
  /** What the lint result must show (the findings that prove the input was really checked). */
  check(json: { diagnostics: { rule: string; file: string }[]; summary: { files: number; errors: number } }): void;
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

export const gateway = (i: number, opts: { credential?: string; host?: string; selector?: string } = {}) =>
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw${i}, namespace: istio-system}
spec:
  selector: {istio: ${opts.selector ?? 'ingressgateway'}}
  servers:
  - port: {number: 443, name: https-${i}, protocol: HTTPS}
    hosts: [${opts.host ?? `h${i}.example.com`}]
    tls: {mode: SIMPLE, credentialName: ${opts.credential ?? `cred-${i}`}}
`;

export const destinationRule = (i: number) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr${i}, namespace: default}
spec:
  host: svc${i % 50}
  subsets: [{name: v${i}, labels: {v: "${i}"}}]
`;

export const virtualService = (i: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs${i}, namespace: default}
spec:
  hosts: [svc${i % 50}]
  http:
  - route:
    - destination: {host: svc${i % 50}, subset: v${i}}
`;

export const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('---\n');

export function hostileInputs(): HostileCase[] {
  return [
    {
      name: '1.3 million empty documents in 5 MB',
      files: () => [['empty.yaml', '---\n'.repeat(1_300_000).slice(0, 5 * 1024 * 1024 - 16)]],
      check: (j) => expect(j.summary.files === 1 && j.diagnostics.length === 0, 'empty documents give no findings'),
    },
    {
      name: 'a 5 MB single-line flow sequence in a Gateway',
      files: () => [['flow.yaml', `{apiVersion: networking.istio.io/v1, kind: Gateway, metadata: {name: f}, spec: {servers: [${'{},'.repeat(1_600_000)}{}]}}\n`]],
      check: (j) => expect(j.diagnostics.some((d) => d.rule === 'yaml-syntax') && j.summary.errors > 0, 'an unchecked Gateway fails the run'),
    },
    {
      name: '10,000 Gateways sharing a credential',
      files: () => [['gateways.yaml', many(10_000, (i) => gateway(i, { credential: 'shared' }))]],
      check: (j) => expect(j.diagnostics.filter((d) => d.rule === 'gateway-duplicate-certificate').length === 10_000, 'every Gateway is told'),
    },
    {
      name: '5,000 Gateway servers on the same host',
      files: () => [['gateways.yaml', many(5_000, (i) => gateway(i, { host: 'same.example.com' }))]],
      check: (j) => expect(j.diagnostics.some((d) => d.rule === 'gateway-conflict' || d.rule === 'gateway-duplicate-server-host'), 'the conflict is found'),
    },
    {
      name: '5,000 DestinationRules and 5,000 VirtualServices (subset check)',
      files: () => [['drs.yaml', many(5_000, destinationRule)], ['vss.yaml', many(5_000, virtualService)]],
      check: (j) => expect(!j.diagnostics.some((d) => d.rule === 'virtual-service-subset-not-found'), 'every subset is found'),
    },
    {
      // Each keyless --from-file that names no file looked for a folder of that name among all files: 160,000 lines ×
      // 4,000 files took 30 s CPU.
      name: 'keyless --from-file lines in 4,000 scripts',
      maxCpuS: 15,
      files: () => [
        ...Array.from({ length: 4_000 }, (_, f): [string, string] => [`s${f}.sh`, Array.from({ length: 40 }, (_, i) => `kubectl create -n istio-system secret generic c${f}-${i} --from-file=d${f}/f${i}.pem\n`).join('')]),
        ['gw.yaml', gateway(0, { credential: 'c0-0' })],
      ],
      check: (j) => expect(j.diagnostics.some((d) => d.file === 'gw.yaml'), 'the credential is resolved to its script'),
    },
    {
      name: '100,000 kubectl apply -n $NS lines in two scripts',
      // Each line counted its line number from the top of the script and searched the whole script for the
      // variable's assignments (and each `for` loop scanned every loop): 50,000 such lines took 12–28 s CPU. Each `for`
      // loop without a `done` searched the rest of the script for one: 40,000 of them took 7.8 s.
      maxCpuS: 8,
      files: () => [
        ['loops.sh', Array.from({ length: 60_000 }, (_, i) => `for ns in m${i}; do kubectl apply -n $ns -f missing/${i}.yaml\n`).join('')],
        [
          'apply.sh',
          Array.from({ length: 20_000 }, (_, i) => `for ns in l${i}; do kubectl apply -n $ns -f gw.yaml; done\nNS=a${i}\nkubectl apply -n "$NS" -f gw.yaml\n`).join(''),
        ],
        ['gw.yaml', gateway(0).replace('namespace: istio-system', 'labels: {app: gw}')],
      ],
      check: (j) =>
        expect(
          j.diagnostics.some((d) => d.rule === 'gateway-conflict' && d.file === 'gw.yaml' && /and 39996 more/.test((d as { message?: string }).message ?? '')),
          'the Gateway is placed in all 40,000 namespaces the script applies it to',
        ),
    },
    {
      // Each variable's assignments were searched for in the whole script, once per variable: 20,000 lines each
      // naming a variable of its own took 33 s CPU.
      name: '20,000 kubectl apply -n $VAR lines, each with a variable of its own',
      maxCpuS: 8,
      files: () => [
        ['apply.sh', Array.from({ length: 20_000 }, (_, i) => `V${i}=n${i}\nkubectl apply -n "\${V${i}}" -f gw.yaml\n`).join('')],
        ['gw.yaml', gateway(0).replace('namespace: istio-system', 'labels: {app: gw}')],
      ],
      check: (j) =>
        expect(
          j.diagnostics.some((d) => d.rule === 'gateway-conflict' && d.file === 'gw.yaml' && /and 19996 more/.test((d as { message?: string }).message ?? '')),
          'the Gateway is placed in the namespace of each of the 20,000 variables',
        ),
    },
    {
      // The regex finding `for VAR in LIST; do` backtracked over its runs of spaces: a list of two words 200,000
      // spaces apart took 34 s CPU (a 5 MB line of them, hours).
      name: 'a for loop whose list has 200,000 spaces',
      maxCpuS: 8,
      files: () => [
        ['apply.sh', `for ns in a${' '.repeat(200_000)}b; do kubectl apply -n $ns -f gw.yaml; done\nfor x in c${'\n'.repeat(1_000)}do kubectl apply -n $x -f gw.yaml; done\n`],
        ['gw.yaml', gateway(0).replace('namespace: istio-system', 'labels: {app: gw}')],
      ],
      check: (j) =>
        expect(
          j.diagnostics.some((d) => d.rule === 'gateway-conflict' && d.file === 'gw.yaml' && /"b\/gw0", "c\/gw0"/.test((d as { message?: string }).message ?? '')),
          'the Gateway is placed in each namespace of both loops',
        ),
    },
    {
      // Each replacement target and each `$patch: delete` scanned every resource of the kustomization (building each
      // renamed name again): 5,000 targets and 30,000 deletes over 30,000 resources took 15–23 s CPU.
      // kustomize itself refuses the kustomization at once (an unknown field), so only meshtls's own reading counts.
      name: 'a kustomization with 5,000 replacement targets and 30,000 deletes over 30,000 resources',
      maxCpuS: 8,
      files: () => [
        [
          'kustomization.yaml',
          `meshtlsHostileInput: true\nresources: [r.yaml]\npatches: [{path: p.yaml}]\nreplacements:\n${Array.from({ length: 5_000 }, (_, i) => `- source:\n    kind: Service\n  targets:\n  - select:\n      kind: ${i ? 'Service' : 'VirtualService'}\n      name: ${i ? `x${i}` : 'vs'}\n    fieldPaths:\n    - spec.gateways.0\n`).join('')}`,
        ],
        ['r.yaml', [gateway(1, { host: 'same.example.com' }), gateway(2, { host: 'same.example.com' }), gateway(3, { host: 'same.example.com' }), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: istio-system}\nspec:\n  hosts: [same.example.com]\n  gateways: [filled-by-kustomize]\n  http:\n  - route:\n    - destination: {host: svc}\n', ...Array.from({ length: 30_000 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\n`)].join('---\n')],
        ['p.yaml', Array.from({ length: 30_000 }, (_, i) => `$patch: delete\napiVersion: ${i ? 'v1' : 'networking.istio.io/v1'}\nkind: ${i ? 'Service' : 'Gateway'}\nmetadata: {name: ${i % 2 ? `x${i}` : i ? `s${i}` : 'gw2'}}\n`).join('---\n')],
      ],
      check: (j) => {
        const conflicts = j.diagnostics.filter((d) => d.rule === 'gateway-conflict').map((d) => (d as { message?: string }).message ?? '');
        expect(conflicts.some((m) => /"istio-system\/gw3"/.test(m)) && !conflicts.some((m) => /gw2/.test(m)), `the deleted Gateway is left out: ${conflicts.join(' | ')}`);
        expect(!j.diagnostics.some((d) => d.rule === 'virtual-service-gateway-not-found'), 'the gateway the replacement fills is not judged');
      },
    },
    {
      // Each server filtered and sorted every source of its credential's name: 5,000 Gateways naming one credential
      // that 20,000 kubectl lines create took 25 s CPU (50,000 lines: over 90 s).
      name: '5,000 Gateways naming a credential 20,000 kubectl lines create',
      maxCpuS: 8,
      files: () => [
        ['secrets.sh', Array.from({ length: 20_000 }, (_, i) => `kubectl create secret generic shared --from-file=cert=c${i}.pem --from-file=key=k.pem\n`).join('')],
        ['gateways.yaml', many(5_000, (i) => gateway(i, { credential: 'shared' }))],
      ],
      check: (j) =>
        expect(
          j.diagnostics.filter((d) => d.rule === 'credential-unresolved' && d.file === 'gateways.yaml' && /"c0\.pem"/.test((d as { message?: string }).message ?? '')).length === 5_000,
          'every server is resolved to the first kubectl line',
        ),
    },
    {
      // The span of each key was found by a scan of the map: a Secret with 40,000 keys took 40 s CPU.
      name: 'a Secret with 40,000 keys',
      maxCpuS: 8,
      files: () => [
        ['secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: big, namespace: istio-system}\ndata:\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: eA==\n`).join('')}`],
        ['gw.yaml', gateway(0, { credential: 'big' })],
      ],
      check: (j) => expect(j.diagnostics.some((d) => d.rule === 'credential-secret-keys' && d.file === 'gw.yaml'), 'the Secret is read as the credential'),
    },
    {
      // .meshtls.yaml went to the general YAML parser, whose duplicate-key check compares each key with all before it:
      // 40,000 severity entries took 13 s CPU.
      name: 'a .meshtls.yaml with 40,000 severity entries',
      maxCpuS: 8,
      files: () => [
        ['.meshtls.yaml', `severity:\n${Array.from({ length: 40_000 }, (_, i) => `  rule-${i}: off\n`).join('')}  gateway-duplicate-certificate: info\n`],
        ['gateways.yaml', many(2, (i) => gateway(i, { credential: 'shared' }))],
      ],
      check: (j) => {
        const found = j.diagnostics.filter((d) => d.rule === 'gateway-duplicate-certificate');
        expect(found.length === 2 && found.every((d) => (d as { severity?: string }).severity === 'info'), 'the severity the configuration sets is applied');
      },
    },
    {
      // The general YAML parser took 29–37 s CPU and 2.8 GB for a .meshtls.yaml of one 5 MB flow sequence; it is
      // refused as too large, as any YAML file is.
      name: 'a 5 MB .meshtls.yaml of one flow sequence',
      maxCpuS: 8,
      files: () => [
        ['.meshtls.yaml', `ignore: [${'a,'.repeat(2_500_000)}a]\n`],
        ['gw.yaml', gateway(0)],
      ],
      check: (j) => expect(j.diagnostics.some((d) => d.rule === 'config-invalid' && /too large/.test((d as { message?: string }).message ?? '')) && j.summary.errors > 0, 'the refused configuration fails the run'),
    },
    {
      // Each server filtered every PKI tree by host, and each tree scanned every file for its client certificates:
      // 2,000 trees and 21,000 servers took 14 s CPU.
      name: '2,000 PKI trees and 21,000 Gateway servers',
      maxCpuS: 10,
      files: () => [
        ...Array.from({ length: 2_000 }, (_, i): [string, string] => [`t${i}/3_application/certs/h${i}.example.com.cert.pem`, 'x\n']),
        [
          'gw.yaml',
          `${many(3, (g) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw${g}, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${Array.from({ length: 7_000 }, (_, i) => `  - port: {number: 443, name: s${i}, protocol: HTTPS}\n    hosts: [z${g}-${i}.example.com]\n    tls: {mode: SIMPLE, credentialName: c${g}-${i}}\n`).join('')}`)}  - port: {number: 443, name: t, protocol: HTTPS}\n    hosts: [h7.example.com]\n    tls: {mode: SIMPLE, credentialName: from-tree}\n`,
        ],
      ],
      check: (j) => expect(j.diagnostics.some((d) => d.file === 'gw.yaml' && /t7\/3_application/.test((d as { message?: string }).message ?? '')), 'the server of host h7 is resolved to its PKI tree'),
    },
    {
      // Each problem of .meshtls.yaml searched the text for its key from the top: 45,000 malformed credentials took
      // 8.4 s CPU (19 s before the configuration took the fast YAML path).
      name: 'a .meshtls.yaml with 45,000 malformed credentials',
      maxCpuS: 6,
      files: () => [
        ['.meshtls.yaml', `credentials:\n${Array.from({ length: 45_000 }, (_, i) => `  c${i}: 1\n`).join('')}`],
        ['gw.yaml', gateway(0)],
      ],
      check: (j) => expect(j.diagnostics.filter((d) => d.rule === 'config-invalid').length === 45_000, 'every malformed credential is told'),
    },
    {
      // Each path on a kubectl line was joined to every folder from the script's up to the root: 60,000 paths in a
      // script 300 folders deep took 19 s CPU.
      name: '60,000 kubectl apply paths in a script 300 folders deep',
      maxCpuS: 8,
      files: () => [
        [`${'d/'.repeat(300)}apply.sh`, `${Array.from({ length: 30_000 }, (_, i) => `kubectl apply -n a -f x${i}.yaml -f y${i}\n`).join('')}kubectl apply -n team -f gw.yaml\n`],
        ['gw.yaml', gateway(0).replace('namespace: istio-system', 'labels: {app: gw}')],
        ['vs.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: team}\nspec:\n  hosts: [h0.example.com]\n  gateways: [gw0]\n  http:\n  - route:\n    - destination: {host: svc}\n'],
      ],
      check: (j) => expect(!j.diagnostics.some((d) => d.rule === 'virtual-service-gateway-not-found'), 'the Gateway is applied in the namespace of the deep script'),
    },
    {
      // Each fenced block searched on for `kubectl` past its own end, to the next command of the whole file: 150,000
      // empty fences before the only commands took 31 s CPU.
      name: 'a Markdown file of 150,000 empty fences before its only commands',
      maxCpuS: 8,
      files: () => [
        ['README.md', `${'```\n```\n'.repeat(150_000)}\`\`\`sh\nkubectl create secret generic x -n istio-system --from-file=cert=a.pem\nkubectl apply -n ns1 -f gw.yaml\n\`\`\`\n`],
        ['gw.yaml', gateway(0, { credential: 'x' }).replace('namespace: istio-system', 'labels: {app: gw}')],
        ['vs.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: ns1}\nspec:\n  hosts: [h0.example.com]\n  gateways: [gw0]\n  http:\n  - route:\n    - destination: {host: svc}\n'],
      ],
      check: (j) => {
        expect(j.diagnostics.some((d) => d.rule === 'credential-secret-keys' && d.file === 'gw.yaml'), 'the credential is resolved to the fenced kubectl line');
        expect(!j.diagnostics.some((d) => d.rule === 'virtual-service-gateway-not-found'), 'the Gateway is applied in the namespace of the fenced kubectl apply line');
      },
    },
    {
      // Each use of a credential that exists only in other namespaces listed every one of them, in its message and as
      // related locations: 1,500 Gateways × 1,500 namespaces took 23 s and 1.7 GB (5,000 × 5,000 ran out of memory).
      name: '1,500 Gateways on a Secret created in 1,500 other namespaces',
      maxCpuS: 10,
      files: () => [
        ['gateways.yaml', many(1_500, (i) => gateway(i, { credential: 'shared' }))],
        ['secrets.sh', Array.from({ length: 1_500 }, (_, i) => `kubectl create -n team${i} secret tls shared --cert=tls.crt --key=tls.key\n`).join('')],
      ],
      check: (j) =>
        expect(
          j.diagnostics.filter((d) => d.rule === 'credential-wrong-namespace').length === 1_500 &&
            j.diagnostics.every((d) => d.rule !== 'credential-wrong-namespace' || (/and 1497 more/.test((d as { message?: string }).message ?? '') && ((d as { related?: unknown[] }).related ?? []).length <= 10)),
          'every Gateway is told, with three namespaces named and ten places shown',
        ),
    },
    {
      // Kustomizations in 22 layers of diamonds (each layer's folder includes two overlays of the layer below): every
      // path down was expanded again, 4 million copies of one Gateway, and the stack overflowed.
      name: '22 layers of diamond kustomizations',
      maxCpuS: 10,
      files: () => {
        const k = (resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `- ${r}\n`).join('')}`;
        const files: [string, string][] = [['l0/kustomization.yaml', k(['gw.yaml'])], ['l0/gw.yaml', gateway(0)]];
        for (let i = 1; i <= 22; i++) {
          files.push([`l${i}/kustomization.yaml`, k(['a', 'b'])], [`l${i}/a/kustomization.yaml`, k([`../../l${i - 1}`])], [`l${i}/b/kustomization.yaml`, k([`../../l${i - 1}`])]);
        }
        return files;
      },
      check: (j) => expect(j.summary.files > 60 && !j.diagnostics.some((d) => d.rule === 'internal-error'), 'the layers are read without a crash'),
    },
    {
      name: 'more than 120,000 findings',
      // 120,000 findings are 90 MB of JSON: the output alone is most of the memory.
      maxRssMb: 1024,
      files: () =>
        Array.from({ length: 4 }, (_, f): [string, string] => [
          `g${f}.yaml`,
          many(1, (g) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g${f}-${g}, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${'  - port: {number: 443, name: h, protocol: HTTPS}\n    hosts: [a]\n'.repeat(10_100)}`),
        ]),
      check: (j) => expect(j.diagnostics.length > 120_000, `only ${j.diagnostics.length} findings`),
    },
  ];
}
