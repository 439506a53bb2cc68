#!/usr/bin/env bash
# Makes PKI trees in the mtls-go-example layout that Istio's secure-ingress walkthrough used, one per host:
#   OUT/<host>/1_root/{certs/ca.cert.pem,private/ca.key.pem}
#   OUT/<host>/2_intermediate/{certs/intermediate.cert.pem,certs/ca-chain.cert.pem,private/intermediate.key.pem}
#   OUT/<host>/3_application/{certs/<host>.cert.pem,private/<host>.key.pem}    server certificate, SAN DNS:<host>
#   OUT/<host>/4_client/{certs/<host>.cert.pem,private/<host>.key.pem}         client certificate (clientAuth)
# Unlike the original generate.sh it is non-interactive, puts a subjectAltName on the server certificate and leaves
# leaf keys unencrypted. Root, server and client share one subject DN, as in the original: tools must chain by
# key identifiers, not names.
#
# Usage: scripts/make-example-pki.sh OUT HOST...
# Environment: START_DATE (YYYY-MM-DD, default yesterday), LEAF_DAYS (default 7300 = 20 years), CA_BITS (4096),
# LEAF_BITS (2048), CA_PASS (encrypt the CA keys with this password, like the original; default: unencrypted).
set -euo pipefail
OUT=${1:?usage: make-example-pki.sh OUT HOST...}
shift
[ $# -gt 0 ] || { echo "usage: make-example-pki.sh OUT HOST..." >&2; exit 1; }
START_DATE=${START_DATE:-$(date -u -d yesterday +%Y-%m-%d)}
LEAF_DAYS=${LEAF_DAYS:-7300}
CA_BITS=${CA_BITS:-4096}
LEAF_BITS=${LEAF_BITS:-2048}
stamp() { date -u -d "$START_DATE + $1 days" +%Y%m%d%H%M%SZ; }
START=$(stamp 0)
LEAF_END=$(stamp "$LEAF_DAYS")
INT_END=$(stamp $((LEAF_DAYS + 1825)))
ROOT_END=$(stamp $((LEAF_DAYS + 3650)))

DB=$(mktemp -d)
trap 'rm -rf "$DB"' EXIT
mkdir -p "$DB/newcerts"
cat > "$DB/ca.cnf" <<CNF
[ ca ]
default_ca = CA_default
[ CA_default ]
database = $DB/index.txt
new_certs_dir = $DB/newcerts
serial = $DB/serial
default_md = sha256
policy = policy_loose
unique_subject = no
email_in_dn = no
[ policy_loose ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
commonName = supplied
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, cRLSign, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
[ v3_intermediate_ca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, digitalSignature, cRLSign, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
[ server_cert ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:\$ENV::HOST
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
[ usr_cert ]
basicConstraints = CA:false
keyUsage = critical, nonRepudiation, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
CNF

cakey() { # cakey FILE: RSA CA key, encrypted when CA_PASS is set
  if [ -n "${CA_PASS:-}" ]; then
    openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$CA_BITS" -aes-256-cbc -pass "pass:$CA_PASS" -out "$1"
  else
    openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$CA_BITS" -out "$1"
  fi
}
PASSIN=()
[ -n "${CA_PASS:-}" ] && PASSIN=(-passin "pass:$CA_PASS")

for HOST in "$@"; do
  export HOST
  T=$OUT/$HOST
  SUBJ="/C=US/ST=Denial/L=Springfield/O=Dis/CN=$HOST"
  mkdir -p "$T"/1_root/{certs,private} "$T"/2_intermediate/{certs,private} "$T"/3_application/{certs,private} "$T"/4_client/{certs,private}
  : > "$DB/index.txt"
  echo 100212 > "$DB/serial"
  sign() { # sign OUT CSR EXT END [CA_CERT CA_KEY]; no CA_CERT: self-signed with the CSR's key
    if [ -z "${5:-}" ]; then
      openssl ca -batch -notext -config "$DB/ca.cnf" -selfsign -keyfile "$T/1_root/private/ca.key.pem" "${PASSIN[@]}" \
        -in "$2" -out "$1" -startdate "$START" -enddate "$4" -extensions "$3" 2>/dev/null
    else
      openssl ca -batch -notext -config "$DB/ca.cnf" -cert "$5" -keyfile "$6" "${PASSIN[@]}" \
        -in "$2" -out "$1" -startdate "$START" -enddate "$4" -extensions "$3" 2>/dev/null
    fi
  }
  cakey "$T/1_root/private/ca.key.pem"
  openssl req -new -key "$T/1_root/private/ca.key.pem" "${PASSIN[@]}" -subj "$SUBJ" -out "$DB/root.csr"
  sign "$T/1_root/certs/ca.cert.pem" "$DB/root.csr" v3_ca "$ROOT_END"

  cakey "$T/2_intermediate/private/intermediate.key.pem"
  openssl req -new -key "$T/2_intermediate/private/intermediate.key.pem" "${PASSIN[@]}" -subj "/C=US/ST=Denial/O=Dis/CN=$HOST" -out "$DB/int.csr"
  sign "$T/2_intermediate/certs/intermediate.cert.pem" "$DB/int.csr" v3_intermediate_ca "$INT_END" "$T/1_root/certs/ca.cert.pem" "$T/1_root/private/ca.key.pem"
  cat "$T/2_intermediate/certs/intermediate.cert.pem" "$T/1_root/certs/ca.cert.pem" > "$T/2_intermediate/certs/ca-chain.cert.pem"

  for kind in 3_application:server_cert 4_client:usr_cert; do
    dir=${kind%%:*}
    openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$LEAF_BITS" -out "$T/$dir/private/$HOST.key.pem"
    openssl req -new -key "$T/$dir/private/$HOST.key.pem" -subj "$SUBJ" -out "$DB/leaf.csr"
    sign "$T/$dir/certs/$HOST.cert.pem" "$DB/leaf.csr" "${kind#*:}" "$LEAF_END" \
      "$T/2_intermediate/certs/intermediate.cert.pem" "$T/2_intermediate/private/intermediate.key.pem"
  done
  openssl verify -CAfile "$T/2_intermediate/certs/ca-chain.cert.pem" "$T/3_application/certs/$HOST.cert.pem" "$T/4_client/certs/$HOST.cert.pem"
done
