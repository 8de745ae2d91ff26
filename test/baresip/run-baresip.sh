#!/usr/bin/env bash
# Calls <sip-uri> with baresip, headless, and hangs up after <seconds>.
#   run-baresip.sh <config-dir> <sip-uri> <seconds>
# <config-dir> is either a filled copy of test/baresip (as test/support/baresip.ts makes) or the template
# itself: then its @NAME@ placeholders are filled into a fresh temporary copy from the environment:
#   BARESIP_SOURCE_WAV  the WAV to send (8 kHz mono 16-bit PCM); required
#   BARESIP_RECORD_DIR  where sndfile writes dump-*-enc.wav (sent) and dump-*-dec.wav (heard); default ./baresip-recordings
#   BARESIP_SIP_PORT    local SIP port; default 0 (ephemeral)
#   BARESIP_RTP_PORTS   local RTP port range; default 47000-47998
# BARESIP_SIP_TRACE=1 adds baresip's SIP message trace (-s) to the log. Exit code: baresip's own, or 124
# when the outer timeout had to kill it.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 <config-dir> <sip-uri> <seconds>" >&2
  exit 2
fi
dir=$1 uri=$2 seconds=$3
case $seconds in '' | *[!0-9]*) echo "seconds must be a whole number: $seconds" >&2; exit 2 ;; esac

if grep -q '@[A-Z_]*@' "$dir/config" "$dir/accounts"; then
  : "${BARESIP_SOURCE_WAV:?set BARESIP_SOURCE_WAV to an 8 kHz mono 16-bit PCM WAV (the template needs filling)}"
  record=${BARESIP_RECORD_DIR:-$PWD/baresip-recordings}
  mkdir -p "$record"
  filled=$(mktemp -d "${TMPDIR:-/tmp}/baresip-config-XXXXXX")
  trap 'rm -rf "$filled"' EXIT
  for f in config accounts; do
    sed -e "s|@SIP_PORT@|${BARESIP_SIP_PORT:-0}|g" \
        -e "s|@RTP_PORTS@|${BARESIP_RTP_PORTS:-47000-47998}|g" \
        -e "s|@SOURCE_WAV@|$(realpath "$BARESIP_SOURCE_WAV")|g" \
        -e "s|@RECORD_DIR@|$(realpath "$record")|g" "$dir/$f" > "$filled/$f"
  done
  dir=$filled
fi

trace=()
[ "${BARESIP_SIP_TRACE:-0}" = 1 ] && trace=(-s)
# -t quits (hanging up with a BYE) after <seconds>; the outer timeout is the backstop if it ever hangs.
# --foreground keeps baresip in this script's process group, so whoever started the script can end
# everything by killing that group (without it, timeout makes a group of its own). No exec: the EXIT
# trap must still remove a filled copy.
timeout --foreground --kill-after=5 $((seconds + 15)) /usr/bin/baresip -f "$dir" -v "${trace[@]}" -e "/dial $uri" -t "$seconds" </dev/null
