import { credentialRule, describeCert, relatedFor } from './analysis';

/** A CA certificate (basicConstraints CA:TRUE) as the served leaf: usually the wrong file (`1_root` instead of `3_application`). */
export const certCaAsServer = credentialRule({
  id: 'cert-ca-as-server',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'The server certificate is a CA certificate.',
  evaluate({ leaf }) {
    if (!leaf?.cert.isCA) return [];
    return [{ message: `The server certificate ${describeCert(leaf.cert)} in ${leaf.ref.label} is a CA certificate (CA:TRUE).`, related: relatedFor(leaf.ref, 'CA certificate', leaf.block) }];
  },
});
