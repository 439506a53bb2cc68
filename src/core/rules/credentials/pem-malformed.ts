import { credentialRule, relatedFor, type Issue } from './analysis';
import type { MaterialRef } from '../../index/credentials';
import type { ParsedMaterial } from '../../certs/x509';

/**
 * Several PEM blocks glued without a newline, a block without END, bad base64, or a certificate OpenSSL cannot
 * parse: Envoy fails to load the chain (istio/istio#45324). Text between blocks is tolerated by OpenSSL but usually
 * means a botched concatenation, so it is a warning.
 */
export const pemMalformed = credentialRule({
  id: 'pem-malformed',
  needsMaterial: true,
  istioCode: 'IST0161',
  defaultSeverity: 'error',
  summary: 'A PEM file or Secret value is malformed (glued or truncated blocks, garbage, unparseable certificate).',
  evaluate(a) {
    const r = a.use.resolution;
    const out: Issue[] = [];
    const seen = new Set<string>();
    const look = (ref: MaterialRef | undefined, m: ParsedMaterial | undefined, want: 'certificate' | 'key') => {
      if (!ref || !m || seen.has(`${ref.fileId}#${ref.key}`)) return;
      seen.add(`${ref.fileId}#${ref.key}`);
      if (m.der) {
        // Envoy reads Secret material as PEM only: a DER file that openssl happily parses is "no certificate" to it.
        out.push({ message: `${ref.label} is DER-encoded; Istio expects PEM.`, related: relatedFor(ref, 'DER, not PEM') });
        return;
      }
      for (const p of m.problems) {
        const span = ref.inline ? ref.mention : { fileId: ref.fileId, start: p.start, end: p.end };
        const warn = p.kind === 'garbage';
        if (p.kind === 'no-pem' && m.blocks.length === 0) {
          out.push({ message: `${ref.label} holds no PEM ${want}.`, related: [{ ...span, message: 'not PEM' }] });
          continue;
        }
        out.push({ message: `${ref.label}: ${p.message}.`, severity: warn ? 'warning' : undefined, related: [{ ...span, message: p.message }] });
      }
      for (const b of m.badCerts) out.push({ message: `${ref.label}: certificate block ${b.index + 1} cannot be parsed.`, related: relatedFor(ref, 'unparseable certificate', b.block) });
      if (want === 'certificate' && m.certs.length === 0 && m.blocks.length > 0 && m.badCerts.length === 0) {
        out.push({ message: `${ref.label} holds no certificate (found ${m.blocks.map((b) => b.label).join(', ')}).`, related: relatedFor(ref, 'expected a CERTIFICATE block', m.blocks[0]) });
      }
    };
    look(r.cert, a.certMaterial, 'certificate');
    look(r.key, a.keyMaterial, 'key');
    look(r.ca, a.caMaterial, 'certificate');
    return out;
  },
});
