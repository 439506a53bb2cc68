import type { Rule } from '../types';
import { virtualServiceGatewayNotFound } from './virtual-service-gateway-not-found';
import { virtualServiceHostNotInGateway } from './virtual-service-host-not-in-gateway';

export const CROSS_RULES: readonly Rule[] = [virtualServiceGatewayNotFound, virtualServiceHostNotInGateway];
