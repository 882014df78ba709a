#!/bin/sh
# A CI job that rotates a deploy token and hands the new secret to the next step without
# printing it: the new token goes straight into a fresh 0600 file, never to stdout or the log.
# Usage: ci-rotate.sh TOKEN_NAME OUTPUT_DIR
set -eu
name=${1:-deploy}
outdir=${2:-.}
secret="$outdir/$name.token"

# Rotate: same name, permissions and IP filter; the old token is revoked at once.
# --secret-out refuses to overwrite, so a stale file from an earlier run is an error, not a leak.
tokenctl token rotate "$name" --secret-out "$secret" -o json > "$outdir/$name.json"

# Check the new token works before handing it on (it is read from the file, never the command line).
tokenctl token verify --token-file "$secret" > /dev/null

# The next step reads the file; only the id is shown in the log.
echo "rotated $name: new id $(sed -n 's/.*"id" : "\(tctl_[^"]*\)".*/\1/p' "$outdir/$name.json" | head -n 1)"
