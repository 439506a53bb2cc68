#!/bin/sh
# Turns the two PKI trees into the gateway's credentials, exactly as the secure-ingress walkthrough does.
set -e
cd "$(dirname "$0")"

kubectl create -n istio-system secret generic frontend-credential \
  --from-file=key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem \
  --from-file=cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem \
  --from-file=cacert=frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem

kubectl create -n istio-system secret generic inventory-credential \
  --from-file=key=inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem \
  --from-file=cert=inventory.foocorp.com/3_application/certs/inventory.foocorp.com.cert.pem \
  --from-file=cacert=inventory.foocorp.com/2_intermediate/certs/ca-chain.cert.pem
