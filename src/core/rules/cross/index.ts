import type { Rule } from '../types';
import { virtualServiceGatewayNotFound } from './virtual-service-gateway-not-found';
import { virtualServiceHostNotInGateway } from './virtual-service-host-not-in-gateway';
import { virtualServiceSubsetNotFound } from './virtual-service-subset-not-found';
import { virtualServiceIngressSubsetsIgnored } from './virtual-service-ingress-subsets-ignored';
import { virtualServiceMeshHostConflict } from './virtual-service-mesh-host-conflict';
import { gatewayConflict } from './gateway-conflict';
import { gatewayDuplicateCertificate } from './gateway-duplicate-certificate';
import { gatewayDuplicateServerHost } from './gateway-duplicate-server-host';
import { gatewayHostOverlap } from './gateway-host-overlap';
import { exportToUnknownNamespace } from './export-to-unknown-namespace';
import { peerAuthenticationDuplicateScope } from './peer-authentication-duplicate-scope';
import { peerAuthenticationRootSelector } from './peer-authentication-root-selector';
import { peerAuthenticationNotMeshWide } from './peer-authentication-not-mesh-wide';
import { destinationRuleMtlsMismatch } from './destination-rule-mtls-mismatch';
import { destinationRuleHostOverlap } from './destination-rule-host-overlap';
import { destinationRuleDropsWildcardMtls } from './destination-rule-drops-wildcard-mtls';
import { destinationRuleWildcardMtlsDisabled } from './destination-rule-wildcard-mtls-disabled';
import { peerAuthenticationDisableVsWildcardMtls } from './peer-authentication-disable-vs-wildcard-mtls';
import { kustomizeNameReferenceGap } from './kustomize-name-reference-gap';
import { virtualServiceDestinationHostNotFound } from './virtual-service-destination-host-not-found';
import { virtualServiceDestinationPortRequired } from './virtual-service-destination-port-required';
import { gatewaySelectorNoWorkload } from './gateway-selector-no-workload';
import { gatewayPortNotOnService } from './gateway-port-not-on-service';
import { destinationRuleHostUnknown } from './destination-rule-host-unknown';
import { destinationRuleSubsetNoPods } from './destination-rule-subset-no-pods';
import { virtualServiceJwtClaimRouteWithoutAuthn } from './virtual-service-jwt-claim-route-without-authn';

/** Rules that compare resources with each other; all share the per-index lookup tables of ./model. */
export const CROSS_RULES: readonly Rule[] = [
  virtualServiceGatewayNotFound,
  virtualServiceHostNotInGateway,
  virtualServiceMeshHostConflict,
  virtualServiceSubsetNotFound,
  virtualServiceIngressSubsetsIgnored,
  gatewayConflict,
  gatewayDuplicateCertificate,
  gatewayDuplicateServerHost,
  gatewayHostOverlap,
  peerAuthenticationDuplicateScope,
  peerAuthenticationRootSelector,
  peerAuthenticationNotMeshWide,
  destinationRuleMtlsMismatch,
  destinationRuleHostOverlap,
  destinationRuleDropsWildcardMtls,
  destinationRuleWildcardMtlsDisabled,
  peerAuthenticationDisableVsWildcardMtls,
  exportToUnknownNamespace,
  kustomizeNameReferenceGap,
  virtualServiceDestinationHostNotFound,
  virtualServiceDestinationPortRequired,
  gatewaySelectorNoWorkload,
  gatewayPortNotOnService,
  destinationRuleHostUnknown,
  destinationRuleSubsetNoPods,
  virtualServiceJwtClaimRouteWithoutAuthn,
];
