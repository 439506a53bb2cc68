import type { Rule } from '../types';
import { gatewayTlsRequired } from './tls-required';

export const GATEWAY_RULES: readonly Rule[] = [gatewayTlsRequired];
