import type { Rule } from '../types';
import { sidecarEgressProxyDeprecated } from './egress-proxy-deprecated';

/** Sidecar resources, read only for what istioctl's analyzers report on them. */
export const SIDECAR_RULES: readonly Rule[] = [sidecarEgressProxyDeprecated];
