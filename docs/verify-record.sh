#!/usr/bin/env sh
# Verify one Assay evidence record with openssl and sha256sum alone (no Assay code).
#   usage: verify-record.sh STORE_DIR RECORD_DIGEST
# STORE_DIR is an evidence store or an unpacked evidence pack (records/, blobs/, keys/ inside).
# Exit status 0 and "RECORD OK" when the record is intact, signed by a key in keys/, and its subject
# (a snapshot blob, where the store holds one) matches its digest; non-zero on any failure.
set -eu
store=$1
digest=$2
record="$store/records/sha256/$digest.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The record is stored under the sha256 of its own bytes.
actual=$(sha256sum "$record" | cut -d' ' -f1)
[ "$actual" = "$digest" ] || { echo "FAIL: $record has sha256 $actual"; exit 1; }

# 2. Take the envelope apart (canonical JSON: one line, keys sorted).
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$record"; }
payload_type=$(field payloadType)
keyid=$(field keyid)
printf %s "$(field payload)" | openssl base64 -d -A > "$work/payload.json"
printf %s "$(field sig)" | openssl base64 -d -A > "$work/sig.bin"

# 3. DSSE pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(body)> <body>", lengths in bytes.
printf 'DSSEv1 %d %s %d ' "${#payload_type}" "$payload_type" "$(wc -c < "$work/payload.json")" > "$work/pae.bin"
cat "$work/payload.json" >> "$work/pae.bin"

# 4. The signature, with the public key the record names (Ed25519 keys, or ECDSA P-256 keys from AWS KMS).
key="$store/keys/$keyid.pem"
[ -f "$key" ] || { echo "FAIL: no public key $key"; exit 1; }
case "$keyid" in
  ed25519-*) openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$work/pae.bin" -sigfile "$work/sig.bin" ;;
  *) openssl dgst -sha256 -verify "$key" -signature "$work/sig.bin" "$work/pae.bin" ;;
esac

# 5. The first subject: a snapshot blob, when the store holds it, must hash to the digest the record names.
subject=$(sed -n 's/.*"subject":\[{"digest":{"sha256":"\([0-9a-f]*\)"}.*/\1/p' "$work/payload.json")
blob="$store/blobs/sha256/$subject.json"
if [ -f "$blob" ]; then
  [ "$(sha256sum "$blob" | cut -d' ' -f1)" = "$subject" ] || { echo "FAIL: $blob does not match"; exit 1; }
  echo "subject $subject: snapshot blob matches"
fi
echo "RECORD OK: $digest (type $payload_type, key $keyid)"
