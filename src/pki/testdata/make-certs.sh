#!/bin/sh
# Regenerates the certificate fixtures used by src/pki/*.test.ts (run from this directory).
# openssl 3 for the chains (exact control of basicConstraints and keyUsage), strongSwan `pki`
# for certificates with explicit validity dates and for the CRL. Long lifetimes (36500 days) so
# the committed fixtures stay valid; tests pass `now` explicitly anyway.
set -eu
cd "$(dirname "$0")"
rm -f ./*.pem ./*.der ./*.srl
export PKI_QUIET=1
D=36500
ossl_key_rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
ossl_key_ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
# issue <name> <key> <subject> <ca-name> <ext-lines>
issue() {
  printf '%b\n' "$5" > ext.tmp
  openssl req -new -key "$2" -subj "$3" -out req.tmp
  openssl x509 -req -in req.tmp -CA "$4.crt.pem" -CAkey "$4.key.pem" -CAcreateserial -days $D \
    -sha256 -extfile ext.tmp -out "$1.crt.pem" 2>/dev/null
}
CA_EXT='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash'

# Root CA (RSA-2048), self-signed.
ossl_key_rsa root.key.pem
openssl req -new -x509 -key root.key.pem -subj '/C=XX/O=Kite PKI Test/CN=Kite Root CA' -days $D -sha256 \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' -out root.crt.pem

# Intermediate CA (ECDSA P-256), pathlen 0.
ossl_key_ec int.key.pem
issue int int.key.pem '/C=XX/O=Kite PKI Test/CN=Kite Intermediate CA' root \
  'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nauthorityKeyIdentifier=keyid'

# Leaves under the intermediate.
LEAF_KU='keyUsage=critical,digitalSignature'
ossl_key_rsa leaf-rsa.key.pem
issue leaf-rsa leaf-rsa.key.pem '/C=XX/O=Kite PKI Test/CN=vpn.example.test' int \
  "basicConstraints=CA:FALSE\n$LEAF_KU\nsubjectAltName=DNS:vpn.example.test,DNS:alt.example.test,IP:192.0.2.1,IP:2001:db8::1"
ossl_key_ec leaf-ec.key.pem
issue leaf-ec leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=alice' int \
  "$LEAF_KU\nsubjectAltName=email:alice@example.test"
# No SAN: identified only by its subject DN.
issue leaf-dn leaf-ec.key.pem '/C=XX/O=Kite PKI Test/OU=Road Warriors/CN=bob' int "$LEAF_KU"
# keyUsage without digitalSignature.
issue leaf-badku leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=badku.example.test' int \
  'keyUsage=critical,keyEncipherment\nsubjectAltName=DNS:badku.example.test'
# To be revoked by the intermediate's CRL.
issue leaf-revoked leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=revoked.example.test' int \
  "$LEAF_KU\nsubjectAltName=DNS:revoked.example.test"

# Dated leaves (strongSwan pki sets the validity exactly).
pki --issue --type priv --in leaf-ec.key.pem --cacert int.crt.pem --cakey int.key.pem \
  --dn 'C=XX, O=Kite PKI Test, CN=expired.example.test' --san expired.example.test \
  --dateform '%d.%m.%Y %T' --not-before '01.01.2020 00:00:00' --not-after '01.01.2021 00:00:00' --outform pem > leaf-expired.crt.pem
pki --issue --type priv --in leaf-ec.key.pem --cacert int.crt.pem --cakey int.key.pem \
  --dn 'C=XX, O=Kite PKI Test, CN=future.example.test' --san future.example.test --dateform '%d.%m.%Y %T' \
  --not-before '01.01.2060 00:00:00' --not-after '01.01.2061 00:00:00' --outform pem > leaf-future.crt.pem

# CRL from the intermediate revoking leaf-revoked.
pki --signcrl --cacert int.crt.pem --cakey int.key.pem --dateform '%d.%m.%Y %T' \
  --next-update '01.01.2090 00:00:00' --reason key-compromise \
  --cert leaf-revoked.crt.pem --outform pem > int.crl.pem

# Constraint violations.
# A leaf (CA:FALSE) used as an issuer.
ossl_key_ec notca.key.pem
issue notca notca.key.pem '/C=XX/O=Kite PKI Test/CN=Not A CA' int "basicConstraints=critical,CA:FALSE\n$LEAF_KU"
issue under-notca leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=under-notca.example.test' notca "$LEAF_KU"
# A sub-CA under the pathlen:0 intermediate, and a leaf under it.
ossl_key_ec sub.key.pem
issue sub sub.key.pem '/C=XX/O=Kite PKI Test/CN=Kite Sub CA' int "$CA_EXT"
issue under-sub leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=under-sub.example.test' sub "$LEAF_KU"
# A CA whose keyUsage lacks keyCertSign (issued by root), and a leaf under it.
ossl_key_ec nosign.key.pem
issue nosign nosign.key.pem '/C=XX/O=Kite PKI Test/CN=Kite NoSign CA' root \
  'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,cRLSign'
issue under-nosign leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=under-nosign.example.test' nosign "$LEAF_KU"

# An unrelated root with the same subject as ours, and a leaf it signed (wrong CA).
ossl_key_ec other.key.pem
openssl req -new -x509 -key other.key.pem -subj '/C=XX/O=Kite PKI Test/CN=Kite Root CA' -days $D -sha256 \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' -out other.crt.pem
issue leaf-other leaf-ec.key.pem '/C=XX/O=Kite PKI Test/CN=vpn.example.test' other \
  "$LEAF_KU\nsubjectAltName=DNS:vpn.example.test"

# An encrypted private key (passphrase "kite-test") and a DER one.
openssl pkcs8 -topk8 -in leaf-ec.key.pem -passout pass:kite-test -v2 aes-256-cbc -out leaf-ec.enc.key.pem
openssl pkey -in leaf-ec.key.pem -outform DER -out leaf-ec.key.der

rm -f ext.tmp req.tmp ./*.srl notca.key.pem sub.key.pem nosign.key.pem other.key.pem root.key.pem
