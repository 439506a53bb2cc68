import type { Rule } from '../types';
import { gatewayApiGatewayClassUnknown } from './gateway-class-unknown';
import { gatewayApiListenerProtocolUnsupported } from './listener-protocol-unsupported';
import { gatewayApiListenerTlsMissing } from './listener-tls-missing';
import { gatewayApiListenerTlsMode } from './listener-tls-mode';
import { gatewayApiListenerConflict } from './listener-conflict';
import { gatewayApiCertificateRefCount } from './certificate-ref-count';
import { gatewayApiCertificateRefKind } from './certificate-ref-kind';
import { gatewayApiTlsOptionInvalid } from './tls-option-invalid';
import { gatewayApiCaCertificateRefInvalid } from './ca-certificate-ref-invalid';
import { gatewayApiClientValidationIgnored } from './client-validation-ignored';
import { gatewayApiRefNotPermitted } from './ref-not-permitted';
import { gatewayApiAllowedRouteKindsInvalid } from './allowed-route-kinds-invalid';
import { gatewayApiParentNotFound } from './parent-not-found';
import { gatewayApiParentSectionNotFound } from './parent-section-not-found';
import { gatewayApiRouteHostnameMismatch } from './route-hostname-mismatch';
import { gatewayApiRouteHostnameIsolated } from './route-hostname-isolated';
import { gatewayApiRouteNotAllowed } from './route-not-allowed';
import { gatewayApiBackendTlsPolicyCaInvalid } from './backend-tls-policy-ca-invalid';
import { gatewayApiCertificateRefSilentlyDropped } from './certificate-ref-silently-dropped';
import { gatewayApiListenerSetNotAllowed } from './listener-set-not-allowed';
import { gatewayApiXListenerSetUnchecked } from './x-listener-set-unchecked';

/** Istio's Gateway API semantics (../shared/reference/gateway-api-istio.md), one rule per status reason or silence. */
export const GATEWAY_API_RULES: readonly Rule[] = [
  gatewayApiGatewayClassUnknown,
  gatewayApiListenerProtocolUnsupported,
  gatewayApiListenerTlsMissing,
  gatewayApiListenerTlsMode,
  gatewayApiListenerConflict,
  gatewayApiListenerSetNotAllowed,
  gatewayApiXListenerSetUnchecked,
  gatewayApiCertificateRefCount,
  gatewayApiCertificateRefKind,
  gatewayApiCertificateRefSilentlyDropped,
  gatewayApiTlsOptionInvalid,
  gatewayApiCaCertificateRefInvalid,
  gatewayApiClientValidationIgnored,
  gatewayApiRefNotPermitted,
  gatewayApiAllowedRouteKindsInvalid,
  gatewayApiParentNotFound,
  gatewayApiParentSectionNotFound,
  gatewayApiRouteHostnameMismatch,
  gatewayApiRouteHostnameIsolated,
  gatewayApiRouteNotAllowed,
  gatewayApiBackendTlsPolicyCaInvalid,
];
