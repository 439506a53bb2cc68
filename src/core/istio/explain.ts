import type { PathSegment } from '../yaml/documents';

/**
 * Short explanations of the TLS and mTLS modes, shown on hover. They say what the mode does on the wire and the one
 * thing people most often get wrong about it.
 */
const GATEWAY_TLS_MODES: Record<string, string> = {
  PASSTHROUGH: 'The gateway does not terminate TLS: it routes on the SNI name and passes the encrypted stream to the backend. Certificates on this server are ignored. This is the default when `mode` is omitted.',
  SIMPLE: 'The gateway terminates TLS with the server certificate from `credentialName`. Clients are not asked for a certificate.',
  MUTUAL: 'The gateway terminates TLS and **requires** a client certificate signed by the CA in the credential (`cacert` / `ca.crt`, or the `<credentialName>-cacert` secret). Without that CA every handshake fails.',
  OPTIONAL_MUTUAL: 'Like `MUTUAL`, but a client without a certificate is still accepted; a certificate that is presented must verify against the client CA.',
  AUTO_PASSTHROUGH: 'SNI-based passthrough for multi-network / east-west gateways: the SNI carries the destination service. Certificates are ignored.',
  ISTIO_MUTUAL: "Mutual TLS with the mesh's own workload certificates (SPIFFE identities), for traffic from inside the mesh. It cannot take a `credentialName`; for external clients with your own CA use `MUTUAL`.",
};

const DESTINATION_TLS_MODES: Record<string, string> = {
  DISABLE: 'The client sidecar sends plain text to this destination. If the destination is `STRICT`, connections are reset.',
  SIMPLE: 'The client sidecar originates TLS and checks the server certificate against `caCertificates`.',
  MUTUAL: 'The client sidecar originates mutual TLS with the certificate you give it (`clientCertificate` / `credentialName`).',
  ISTIO_MUTUAL: "The client sidecar originates mutual TLS with the mesh's own certificates. Needed when auto mTLS is off and the destination is `STRICT`.",
};

const PEER_AUTH_MODES: Record<string, string> = {
  UNSET: 'Inherits the mode from the parent policy (namespace, then mesh-wide, then `PERMISSIVE`).',
  DISABLE: 'The workload accepts only plain text from peers; mesh clients that send mutual TLS fail.',
  PERMISSIVE: 'The workload accepts both mutual TLS and plain text — the migration setting.',
  STRICT: 'The workload accepts **only** mutual TLS from mesh peers. Plain-text clients (outside the mesh, or without a sidecar) are reset. This does not ask ingress clients for certificates — that is Gateway `tls.mode: MUTUAL`.',
};

/** Markdown for a value at a path in a resource of a kind, or undefined when there is nothing to say. */
export function explainValue(kind: string, path: readonly PathSegment[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last !== 'mode') return undefined;
  let table: Record<string, string> | undefined;
  let title = '';
  if (kind === 'Gateway' && parent === 'tls') {
    table = GATEWAY_TLS_MODES;
    title = 'Gateway server TLS mode';
  } else if (kind === 'DestinationRule' && parent === 'tls') {
    table = DESTINATION_TLS_MODES;
    title = 'DestinationRule client TLS mode';
  } else if (kind === 'PeerAuthentication') {
    table = PEER_AUTH_MODES;
    title = 'PeerAuthentication mTLS mode';
  }
  const text = table?.[value];
  return text ? `**${title} \`${value}\`**\n\n${text}` : undefined;
}
