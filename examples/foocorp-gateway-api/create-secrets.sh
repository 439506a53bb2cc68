#!/bin/sh
# Turns the two PKI trees into what the Gateway reads. Unlike an Istio Gateway, whose credentialName is read in the
# gateway pods' namespace, a Gateway API certificateRef is read in the Gateway's namespace (or the one it names, with a
# ReferenceGrant there), and the client CA comes from the ConfigMap named in spec.tls.frontend. Each listener serves
# its certificate with the intermediate: fullchain.pem = the server certificate + 2_intermediate/certs/intermediate.cert.pem.
set -e
cd "$(dirname "$0")"

kubectl create -n foocorp secret tls frontend-credential \
  --cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \
  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem

kubectl create -n foocorp-certs secret tls inventory-credential \
  --cert=inventory.foocorp.com/3_application/certs/inventory.foocorp.com.fullchain.pem \
  --key=inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem

# foocorp-client-ca.pem is both hosts' 2_intermediate/certs/ca-chain.cert.pem, one after the other.
kubectl create -n foocorp configmap foocorp-client-ca \
  --from-file=ca.crt=foocorp-client-ca.pem
