import { credentialRule, relatedFor, type Issue } from './analysis';

/**
 * Envoy cannot load an encrypted private key (BAD_PASSWORD_READ, istio/istio#47268) nor one it cannot parse
 * (NO_START_LINE, istio/istio#53497). The CA keys of the mtls-go-example tree are encrypted: only leaf keys fit.
 */
export const keyUnusable = credentialRule({
  id: 'key-unusable',
  needsMaterial: true,
  defaultSeverity: 'error',
  summary: 'The private key is encrypted, unparseable or missing.',
  evaluate(a) {
    const r = a.use.resolution;
    const ref = r.key;
    if (!ref?.bytes || !a.keyMaterial) return [];
    const out: Issue[] = [];
    const k = a.key;
    if (!k) {
      out.push({ short: 'no private key', message: `${ref.label} holds no private key.`, related: relatedFor(ref, 'expected a PRIVATE KEY block') });
    } else if (k.info.status === 'encrypted') {
      out.push({ short: 'private key is encrypted', message: `The private key in ${ref.label} is encrypted; Envoy cannot load it.`, related: relatedFor(ref, `${k.block.label} block`, k.block) });
    } else if (k.info.status === 'unparseable') {
      // OpenSSL's reason text varies between versions: it goes into the related note, not the message.
      out.push({ short: 'private key cannot be parsed', message: `The private key in ${ref.label} cannot be parsed.`, related: relatedFor(ref, `${k.block.label} block: ${k.info.reason}`, k.block) });
    }
    return out;
  },
});
