#!/usr/bin/env bash
# The tests drive openum with real peers from Debian packages. This installs the missing ones when
# run as root (apt-get), and otherwise names the packages to install and fails.
#   ensure-tools.sh          what the tests need
#   ensure-tools.sh serve    what the server needs (ffmpeg, for Mp3/Gsm/Wma message storage)
set -euo pipefail

# command-to-check:debian-package
if [ "${1:-test}" = serve ]; then
  TOOLS=("ffmpeg:ffmpeg")
else
TOOLS=(
  "sipp:sip-tester"
  "openssl:openssl"
  "ffmpeg:ffmpeg"
  "sox:sox"
  "espeak-ng:espeak-ng"
  "baresip:baresip-core"
)
fi

missing=()
for pair in "${TOOLS[@]}"; do
  cmd=${pair%%:*}
  pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${1:-test}" != serve ]; then
  [ -f /usr/share/sip-tester/g711a.pcap ] || missing+=("sip-tester")
  # PostgreSQL's server binaries are not on PATH on Debian.
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=("postgresql")
  # Kamailio (the registrar/proxy in front of baresip in the MWI test) lives in /usr/sbin.
  [ -x /usr/sbin/kamailio ] || missing+=("kamailio")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# De-duplicate, keeping order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
if [ "$(id -u)" -ne 0 ]; then
  echo "openum ${1:-test} needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages openum ${1:-test} needs: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
