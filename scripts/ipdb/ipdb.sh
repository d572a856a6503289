#!/usr/bin/env bash
# Fetch the open IP databases rollcall uses and build an ASN database.
#
#   scripts/ipdb/ipdb.sh [OUT_DIR]
#
# OUT_DIR defaults to $ROLLCALL_IPDB, else ${XDG_CACHE_HOME:-~/.cache}/rollcall/ipdb.
# Needs npm (to fetch the packages with `npm pack`) and go. Writes into OUT_DIR:
#   geo-whois-asn-country.mmdb (or its -ipv4/-ipv6 halves in older releases)
#       country by IP, @ip-location-db/geo-whois-asn-country-mmdb, CC0
#   asn.mmdb
#       AS number and organisation by IP, built from @ip-location-db/asn (CSV),
#       CC BY 4.0: attribute RouteViews and DB-IP (https://db-ip.com) when you
#       show results derived from it
#   SOURCES.txt
#       package versions and licences
# This is the only step that touches the network: rollcall itself never fetches
# anything. Re-running replaces the files with the current releases.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-${ROLLCALL_IPDB:-${XDG_CACHE_HOME:-$HOME/.cache}/rollcall/ipdb}}
packages=(@ip-location-db/geo-whois-asn-country-mmdb @ip-location-db/asn)

for tool in npm go tar; do
  command -v "$tool" >/dev/null || { echo "ipdb: $tool is required" >&2; exit 2; }
done
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-ipdb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# unpack PACKAGE: npm pack into the work dir, extract, print the package dir.
unpack() {
  local pkg=$1 name tgz dir
  name=${pkg#@}; name=${name//\//-}
  tgz=$(cd "$work" && npm pack --silent "$pkg" | tail -n 1)
  [ -f "$work/$tgz" ] || { echo "ipdb: npm pack $pkg produced no tarball" >&2; exit 1; }
  dir="$work/$name"
  mkdir -p "$dir"
  tar -xzf "$work/$tgz" -C "$dir"
  echo "$pkg $(node -p "require('$dir/package/package.json').version" 2>/dev/null || echo '?') $tgz" >>"$work/versions"
  echo "$dir/package"
}

echo "ipdb: fetching ${packages[*]} with npm pack" >&2
country=$(unpack @ip-location-db/geo-whois-asn-country-mmdb)
asn=$(unpack @ip-location-db/asn)

shopt -s nullglob
# The package ships IPv4, IPv6 and (in current releases) combined files:
# take the combined one when it is there.
mmdbs=("$country"/geo-whois-asn-country.mmdb)
[ ${#mmdbs[@]} -gt 0 ] || mmdbs=("$country"/geo-whois-asn-country-ipv4.mmdb "$country"/geo-whois-asn-country-ipv6.mmdb)
csvs=()
for f in "$asn"/asn-ipv4.csv "$asn"/asn-ipv6.csv; do [ -f "$f" ] && csvs+=("$f"); done
[ ${#mmdbs[@]} -gt 0 ] || { echo "ipdb: no .mmdb in @ip-location-db/geo-whois-asn-country-mmdb" >&2; exit 1; }
[ ${#csvs[@]} -gt 0 ] || { echo "ipdb: no asn-ipv4.csv/asn-ipv6.csv in @ip-location-db/asn" >&2; exit 1; }

cp "${mmdbs[@]}" "$out"/
echo "ipdb: building asn.mmdb from ${#csvs[@]} CSV files" >&2
(cd "$root" && go run ./scripts/ipdb/buildasn -o "$out/asn.mmdb" "${csvs[@]}")

{
  echo "Built by scripts/ipdb/ipdb.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "package version tarball"
  cat "$work/versions"
  echo
  echo "geo-whois-asn-country-*.mmdb: CC0 1.0 (sapics/ip-location-db)."
  echo "asn.mmdb: built from @ip-location-db/asn, CC BY 4.0 — data by RouteViews (https://www.routeviews.org)"
  echo "and DB-IP (https://db-ip.com); attribute both when you show results derived from it."
} >"$out/SOURCES.txt"

args="--ipdb $out/asn.mmdb"
for f in "${mmdbs[@]}"; do args+=" --ipdb $out/$(basename "$f")"; done
echo "ipdb: done. Use: $args" >&2
