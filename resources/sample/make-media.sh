#!/usr/bin/env bash
# Regenerates testimony/appeal.mp4, the fictional demo testimony video of the Sijil sample archive:
# a synthetic Arabic voice (espeak-ng) reading testimony/transcript.ar.txt over a plain titled
# frame. Needs ffmpeg (with libx264, libfreetype, libfribidi) and espeak-ng; fonts from Debian's
# fonts-noto-core (override the folder with FONT_DIR=...).
#
# The flags aim at byte-identical output for the same ffmpeg/x264/espeak-ng versions: single
# threaded x264, bitexact muxing and encoding, no metadata or timestamps copied from the inputs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

FFMPEG="${FFMPEG:-ffmpeg}"
FFPROBE="${FFPROBE:-ffprobe}"
ESPEAK="${ESPEAK:-espeak-ng}"
FONT_DIR="${FONT_DIR:-/usr/share/fonts/truetype/noto}"
FONT_AR="$FONT_DIR/NotoNaskhArabic-Bold.ttf"
FONT_LATIN="$FONT_DIR/NotoSans-Regular.ttf"

transcript="testimony/transcript.ar.txt"
out="testimony/appeal.mp4"

duration=14.4        # seconds of video
lead_in_ms=400       # silence before the voice starts
voice="ar+f3"        # espeak-ng Arabic voice, female variant
rate=172             # words per minute

for tool in "$FFMPEG" "$FFPROBE" "$ESPEAK"; do
  command -v "$tool" >/dev/null || { echo "make-media.sh: $tool not found" >&2; exit 1; }
done
for font in "$FONT_AR" "$FONT_LATIN"; do
  [[ -f "$font" ]] || { echo "make-media.sh: font $font not found (set FONT_DIR)" >&2; exit 1; }
done
[[ -f "$transcript" ]] || { echo "make-media.sh: $transcript not found" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Voice-over: the transcript file itself is what is spoken, so the two cannot drift apart.
"$ESPEAK" -v "$voice" -s "$rate" -f "$transcript" -w "$tmp/voice.wav"

voice_len="$("$FFPROBE" -v error -show_entries format=duration -of default=nw=1:nk=1 "$tmp/voice.wav")"
if ! awk -v v="$voice_len" -v d="$duration" -v l="$lead_in_ms" 'BEGIN { exit !(v + l / 1000 <= d) }'; then
  echo "make-media.sh: voice-over is ${voice_len}s, too long for a ${duration}s video" >&2
  exit 1
fi

# 2. Texts for drawtext go through files: no filtergraph escaping of commas, colons or Arabic.
# No tashkeel here: drawtext's shaping does not place marks well.
printf '%s' 'نداء أم سجاد' >"$tmp/title-ar.txt"
printf '%s' 'Appeal of Sajjad'"'"'s mother' >"$tmp/title-en.txt"
printf '%s' 'Nasiriyah, Dhi Qar - 6 July 2020' >"$tmp/place.txt"
printf '%s' 'SIJIL DEMO DATA - FICTIONAL' >"$tmp/notice.txt"
printf '%s' '%{pts:hms}' >"$tmp/clock.txt"

vf="drawtext=fontfile=$FONT_AR:textfile=$tmp/title-ar.txt:fontsize=28:fontcolor=white:x=(w-tw)/2:y=26"
vf+=",drawtext=fontfile=$FONT_LATIN:textfile=$tmp/title-en.txt:fontsize=15:fontcolor=0xe8eef0:x=(w-tw)/2:y=88"
vf+=",drawtext=fontfile=$FONT_LATIN:textfile=$tmp/place.txt:fontsize=11:fontcolor=0xb9c9ce:x=(w-tw)/2:y=112"
vf+=",drawtext=fontfile=$FONT_LATIN:textfile=$tmp/notice.txt:fontsize=9:fontcolor=0xf0c36b:x=8:y=h-18"
# A running clock and a slowly growing bar make seeking visible when testing the media handler.
vf+=",drawtext=fontfile=$FONT_LATIN:textfile=$tmp/clock.txt:expansion=normal:fontsize=9:fontcolor=0xb9c9ce:x=w-tw-8:y=h-18"
vf+=",drawbox=x=0:y=h-4:w=iw*t/$duration:h=4:color=0xf0c36b:t=fill"
vf+=",fade=t=in:st=0:d=0.6,fade=t=out:st=$(awk -v d="$duration" 'BEGIN { print d - 0.6 }'):d=0.6"
vf+=",format=yuv420p"

af="adelay=${lead_in_ms}:all=1,apad,atrim=0:$duration,aresample=22050,aformat=channel_layouts=mono"

# 3. Encode: H.264 (x264, main profile) + AAC-LC, 320x180 at 15 fps, moov atom first.
"$FFMPEG" -hide_banner -loglevel error -nostdin -y \
  -fflags +bitexact \
  -f lavfi -i "color=c=0x1f3a44:s=320x180:r=15:d=$duration" \
  -i "$tmp/voice.wav" \
  -filter_complex "[0:v]$vf[v];[1:a]$af[a]" \
  -map '[v]' -map '[a]' -t "$duration" \
  -c:v libx264 -profile:v main -preset veryslow -tune stillimage -crf 30 -g 75 -threads 1 \
  -c:a aac -b:a 40k -ac 1 -ar 22050 \
  -map_metadata -1 -map_chapters -1 \
  -metadata:s:a:0 language=ara \
  -flags:v +bitexact -flags:a +bitexact -fflags +bitexact \
  -movflags +faststart \
  "$tmp/appeal.mp4"

mv "$tmp/appeal.mp4" "$out"
echo "wrote $out ($(wc -c <"$out") bytes, voice ${voice_len}s)"
