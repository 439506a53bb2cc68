import type { Rule } from '../types';
import { virtualServiceInternalGatewayRef } from './internal-gateway-ref';
import { virtualServiceRouteDuplicateDestination } from './route-duplicate-destination';
import { virtualServiceRouteSingleDestinationWeight } from './route-single-destination-weight';
import { virtualServiceFaultDelayPercentDeprecated } from './fault-delay-percent-deprecated';
import { virtualServiceHostInvalid } from './host-invalid';
import { virtualServiceHostDuplicate } from './host-duplicate';
import { virtualServiceGatewayInvalid } from './gateway-invalid';
import { virtualServiceGatewayLegacyFormat } from './gateway-legacy-format';
import { virtualServiceExportToInvalid } from './export-to-invalid';
import { virtualServiceDelegateInvalid } from './delegate-invalid';
import { virtualServiceRoutesMissing } from './routes-missing';
import { virtualServiceHttpActionInvalid } from './http-action-invalid';
import { virtualServiceMatchInvalid } from './match-invalid';
import { virtualServiceSniHostMismatch } from './sni-host-mismatch';
import { virtualServiceDestinationInvalid } from './destination-invalid';
import { virtualServiceRedirectInvalid } from './redirect-invalid';
import { virtualServiceRuleUnreachable } from './rule-unreachable';
import { virtualServiceMatchIneffective } from './match-ineffective';
import { virtualServiceRetriesInvalid } from './retries-invalid';
import { virtualServiceFaultInvalid } from './fault-invalid';
import { virtualServiceCorsInvalid } from './cors-invalid';
import { virtualServiceMirrorInvalid } from './mirror-invalid';
import { virtualServiceDirectResponseInvalid } from './direct-response-invalid';
import { virtualServiceHeadersInvalid } from './headers-invalid';
import { virtualServiceRewriteInvalid } from './rewrite-invalid';
import { virtualServiceTimeoutInvalid } from './timeout-invalid';

export const VIRTUAL_SERVICE_RULES: readonly Rule[] = [
  virtualServiceHostInvalid,
  virtualServiceHostDuplicate,
  virtualServiceGatewayInvalid,
  virtualServiceGatewayLegacyFormat,
  virtualServiceExportToInvalid,
  virtualServiceDelegateInvalid,
  virtualServiceRoutesMissing,
  virtualServiceHttpActionInvalid,
  virtualServiceMatchInvalid,
  virtualServiceSniHostMismatch,
  virtualServiceDestinationInvalid,
  virtualServiceRedirectInvalid,
  virtualServiceRuleUnreachable,
  virtualServiceMatchIneffective,
  virtualServiceInternalGatewayRef,
  virtualServiceRouteDuplicateDestination,
  virtualServiceRouteSingleDestinationWeight,
  virtualServiceFaultDelayPercentDeprecated,
  virtualServiceRetriesInvalid,
  virtualServiceFaultInvalid,
  virtualServiceCorsInvalid,
  virtualServiceMirrorInvalid,
  virtualServiceDirectResponseInvalid,
  virtualServiceHeadersInvalid,
  virtualServiceRewriteInvalid,
  virtualServiceTimeoutInvalid,
];
