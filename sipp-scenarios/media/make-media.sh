#!/usr/bin/env bash
# Regenerates the audio the SIPp scenarios stream (needs espeak-ng and sox from Debian).
# caller.ulaw: 3 s (150 packets of 160 bytes), raw G.711 µ-law 8 kHz mono, as SIPp's rtp_stream sends
# it (PT 0) unchanged: a spoken sentence, so recordings can be compared with it sample by sample.
# Raw, not WAV: SIPp 3.6.1 sends a file's header bytes as audio, and pads a short last packet with
# zero bytes (µ-law full scale); a whole number of 160-byte packets avoids that.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -s 150 -w "$tmp/speech.wav" "This is a test message for openum. One, two, three."
sox "$tmp/speech.wav" -r 8000 -c 1 -t raw -e u-law "$tmp/speech.ulaw" trim 0 3
cp "$tmp/speech.ulaw" caller.ulaw
test "$(( $(stat -c %s caller.ulaw) % 160 ))" -eq 0
sox -t raw -r 8000 -c 1 -e u-law caller.ulaw -n stat 2>&1 | grep -E 'Samples read|Length'
