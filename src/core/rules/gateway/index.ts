import type { Rule } from '../types';
import { gatewayNameInvalid } from './name-invalid';
import { gatewayServersMissing } from './servers-missing';
import { gatewayHostInvalid } from './host-invalid';
import { gatewayPortInvalid } from './port-invalid';
import { gatewayPortNameDuplicate } from './port-name-duplicate';
import { gatewayBindInvalid } from './bind-invalid';
import { gatewayTlsRequired } from './tls-required';
import { gatewayTlsOnPlainPort } from './tls-on-plain-port';
import { gatewayHttpsRedirectNonHttp } from './https-redirect-non-http';
import { gatewayTlsCipherSuitesInvalid } from './tls-cipher-suites-invalid';
import { gatewayTlsIstioMutualCertificate } from './tls-istio-mutual-certificate';
import { gatewayTlsIgnoredCertificates } from './tls-ignored-certificates';
import { gatewayTlsMultipleSources } from './tls-multiple-sources';
import { gatewayTlsCertificateMissing } from './tls-certificate-missing';
import { gatewayTlsCrlUnsupported } from './tls-crl-unsupported';

export const GATEWAY_RULES: readonly Rule[] = [
  gatewayNameInvalid,
  gatewayServersMissing,
  gatewayHostInvalid,
  gatewayPortInvalid,
  gatewayPortNameDuplicate,
  gatewayBindInvalid,
  gatewayTlsRequired,
  gatewayTlsOnPlainPort,
  gatewayHttpsRedirectNonHttp,
  gatewayTlsCipherSuitesInvalid,
  gatewayTlsIstioMutualCertificate,
  gatewayTlsIgnoredCertificates,
  gatewayTlsMultipleSources,
  gatewayTlsCertificateMissing,
  gatewayTlsCrlUnsupported,
];
