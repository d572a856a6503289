#!/usr/bin/env bash
# Regenerate rollcall's embedded reference data from npm packages.
#
#   scripts/npmdata/npmdata.sh disposable VERSION   → internal/enrich/email/disposable.txt.gz
#   scripts/npmdata/npmdata.sh oui VERSION          → internal/enrich/oui/kvm_oui.tsv
#
# The outputs are committed: rollcall never fetches them at run time. When
# npm cannot reach the registry (offline) and the output exists, the
# committed file is kept and the script succeeds with a warning.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
set_name=${1:?usage: npmdata.sh disposable|oui VERSION}
version=${2:?usage: npmdata.sh disposable|oui VERSION}

case "$set_name" in
  disposable) pkg=disposable-email-domains; out="$root/internal/enrich/email/disposable.txt.gz" ;;
  oui) pkg=oui-data; out="$root/internal/enrich/oui/kvm_oui.tsv" ;;
  *) echo "npmdata: unknown data set $set_name (want disposable or oui)" >&2; exit 2 ;;
esac

for tool in npm go tar; do
  command -v "$tool" >/dev/null || { echo "npmdata: $tool is required" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-npmdata.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! tgz=$(cd "$work" && npm pack --silent "$pkg@$version" 2>"$work/npm.err" | tail -n 1) || [ ! -f "$work/$tgz" ]; then
  if [ -f "$out" ]; then
    echo "npmdata: npm pack $pkg@$version failed (offline?); keeping the committed ${out#$root/}" >&2
    exit 0
  fi
  cat "$work/npm.err" >&2
  echo "npmdata: npm pack $pkg@$version failed and ${out#$root/} does not exist" >&2
  exit 1
fi
tar -xzf "$work/$tgz" -C "$work"
cd "$root"
case "$set_name" in
  disposable) go run ./scripts/npmdata disposable -version "$version" -o "$out" "$work/package/index.json" "$work/package/wildcard.json" ;;
  oui) go run ./scripts/npmdata oui -version "$version" -rules internal/enrich/oui/kvm_vendors.csv -o "$out" "$work/package/index.json" ;;
esac
echo "npmdata: wrote ${out#$root/} from $pkg@$version" >&2
