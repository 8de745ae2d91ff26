#!/usr/bin/env bash
# Regenerates prompts/<id>.wav from prompts/manifest.json: text with espeak-ng, the tone with sox
# synth; every file 8 kHz mono 16-bit PCM, leading/trailing silence trimmed (then a short pad so that
# prompts played back to back do not run into each other), speech set to an RMS level of about
# −16 dBFS with its peak kept under the ceiling. Deterministic: same manifest + same espeak-ng/sox
# versions → byte-identical files (sox -R, no dither).
#
#   scripts/generate-prompts.sh            every prompt
#   scripts/generate-prompts.sh goodbye    only the named ids
#
# Entries marked "recorded": true are studio recordings dropped in by hand: they are left alone.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROMPTS="$ROOT/prompts"
MANIFEST="$PROMPTS/manifest.json"

for pair in espeak-ng:espeak-ng sox:sox jq:jq; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || { echo "generate-prompts: needs the Debian package ${pair#*:}" >&2; exit 2; }
done

setting() { jq -er "$1" "$MANIFEST"; }

VOICE=$(setting '.generator["espeak-ng"].voice')
SPEED=$(setting '.generator["espeak-ng"].speed')
PITCH=$(setting '.generator["espeak-ng"].pitch')
AMPLITUDE=$(setting '.generator["espeak-ng"].amplitude')
WORD_GAP=$(setting '.generator["espeak-ng"].wordGap')
mapfile -t SOX_OPTIONS < <(jq -r '.generator.sox.options[]' "$MANIFEST")
TRIM_DB=$(setting '.generator.sox.trimThresholdDb')
TRIM_S=$(setting '.generator.sox.trimMinimumMs / 1000')
PAD_S=$(setting '.generator.sox.padMs / 1000')
RMS_TARGET=$(setting '.generator.sox.rmsLevelDbfs')
PEAK_CEILING=$(setting '.generator.sox.peakCeilingDbfs')
RATE=$(setting '.format.sampleRate')
CHANNELS=$(setting '.format.channels')
BITS=$(setting '.format.bitsPerSample')
OUT_FORMAT=(-r "$RATE" -c "$CHANNELS" -b "$BITS" -e signed-integer)

# Other versions synthesise (slightly) different audio: say so, but let the operator go on.
want_espeak=$(setting '.generator["espeak-ng"].version')
want_sox=$(setting '.generator.sox.version')
have_espeak=$(espeak-ng --version | sed -n 's/.*text-to-speech: \([^ ]*\).*/\1/p')
have_sox=$(sox --version | sed -n 's/.*SoX v\([^ ]*\).*/\1/p')
[ "$have_espeak" = "$want_espeak" ] || echo "generate-prompts: espeak-ng $have_espeak, manifest says $want_espeak: output will differ" >&2
[ "$have_sox" = "$want_sox" ] || echo "generate-prompts: sox $have_sox, manifest says $want_sox: output may differ" >&2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# "RMS lev dB" / "Pk lev dB" of `sox stats` (overall column).
level() { sox "$1" -n stats 2>&1 | awk -v key="$2" 'index($0, key) == 1 { print $(NF); exit }'; }

speak() {
  local id=$1 text=$2 out=$3
  espeak-ng -v "$VOICE" -s "$SPEED" -p "$PITCH" -a "$AMPLITUDE" -g "$WORD_GAP" -w "$WORK/$id.raw.wav" -- "$text"
  # Trim both ends (reverse trick: sox's silence effect only trims the start), then pad.
  sox "${SOX_OPTIONS[@]}" "$WORK/$id.raw.wav" "${OUT_FORMAT[@]}" "$WORK/$id.trim.wav" \
    silence 1 "$TRIM_S" "${TRIM_DB}d" reverse silence 1 "$TRIM_S" "${TRIM_DB}d" reverse pad "$PAD_S" "$PAD_S"
  local rms peak gain
  rms=$(level "$WORK/$id.trim.wav" 'RMS lev dB')
  peak=$(level "$WORK/$id.trim.wav" 'Pk lev dB')
  gain=$(awk -v r="$rms" -v p="$peak" -v t="$RMS_TARGET" -v c="$PEAK_CEILING" \
    'BEGIN { g = t - r; if (p + g > c) g = c - p; printf "%.2f", g }')
  sox "${SOX_OPTIONS[@]}" "$WORK/$id.trim.wav" "${OUT_FORMAT[@]}" "$WORK/$id.wav" gain "$gain"
  mv "$WORK/$id.wav" "$out"
}

tone() {
  local id=$1 out=$2 frequency duration level ramp
  frequency=$(setting ".prompts[\"$id\"].tone.frequencyHz")
  duration=$(setting ".prompts[\"$id\"].tone.durationMs / 1000")
  level=$(setting ".prompts[\"$id\"].tone.levelDbfs")
  ramp=$(setting ".prompts[\"$id\"].tone.rampMs / 1000")
  # A full-scale sine has its RMS 3.01 dB under its peak: normalise the peak to level + 3.01.
  sox "${SOX_OPTIONS[@]}" -n "${OUT_FORMAT[@]}" "$WORK/$id.wav" \
    synth "$duration" sine "$frequency" fade t "$ramp" "$duration" "$ramp" \
    gain -n "$(awk -v l="$level" 'BEGIN { printf "%.2f", l + 3.01 }')"
  mv "$WORK/$id.wav" "$out"
}

if [ $# -gt 0 ]; then ids=("$@"); else mapfile -t ids < <(jq -r '.prompts | keys_unsorted[]' "$MANIFEST"); fi

for id in "${ids[@]}"; do
  [[ $id =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] || { echo "generate-prompts: id \"$id\" is not kebab-case" >&2; exit 1; }
  jq -e --arg id "$id" '.prompts | has($id)' "$MANIFEST" >/dev/null || { echo "generate-prompts: no prompt \"$id\" in the manifest" >&2; exit 1; }
  out="$PROMPTS/$id.wav"
  if jq -e --arg id "$id" '.prompts[$id].recorded == true' "$MANIFEST" >/dev/null; then
    [ -f "$out" ] || { echo "generate-prompts: $id is marked recorded but $out is missing" >&2; exit 1; }
    echo "kept      $id (recorded)"
  elif jq -e --arg id "$id" '.prompts[$id] | has("tone")' "$MANIFEST" >/dev/null; then
    tone "$id" "$out"
    echo "tone      $id"
  else
    text=$(jq -r --arg id "$id" '.prompts[$id] | .say // .text' "$MANIFEST")
    speak "$id" "$text" "$out"
    echo "spoken    $id"
  fi
done

# Files no manifest entry explains would fail the unit test: name them.
for file in "$PROMPTS"/*.wav; do
  [ -e "$file" ] || continue
  id=$(basename "$file" .wav)
  jq -e --arg id "$id" '.prompts | has($id)' "$MANIFEST" >/dev/null || echo "generate-prompts: $file is not in the manifest (remove it?)" >&2
done
