#!/usr/bin/env bash
# Regenerates the audio the SIPp scenarios stream (needs espeak-ng and sox from Debian).
# caller-ulaw.wav: 3 s, G.711 µ-law 8 kHz mono, as SIPp's rtp_stream sends it (PT 0) unchanged:
# a spoken sentence, so recordings can be compared to it sample by sample.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -s 150 -w "$tmp/speech.wav" "This is a test message for openum. One, two, three."
sox "$tmp/speech.wav" -r 8000 -c 1 -e u-law caller-ulaw.wav trim 0 3 pad 0 3 trim 0 3
soxi caller-ulaw.wav
