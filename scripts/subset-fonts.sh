#!/bin/sh
# Rebuild the print PDF's subset fonts for Arabic, Chinese (Simplified) and Cyrillic.
#
# A development tool, run by hand when the character sets below change; the output files are
# committed in partnerpost/editions/static/editions/fonts/ and nothing runs this at runtime.
# Needs: Debian's fonts-noto-core and fonts-noto-cjk packages, and fontTools (`pip install
# fonttools`, which provides pyftsubset) in the development virtualenv.
#
#   sh scripts/subset-fonts.sh [path/to/python]
#
# Hinting is dropped everywhere (--no-hinting): it only helps small text on screens, and a
# PDF viewer rasterises the outlines itself; it takes 15–40 % off the files.
#
# What goes in, and why:
# - Arabic, Noto Naskh Arabic regular and bold: the Arabic block (U+0600–06FF), the
#   presentation forms (U+FB50–FDFF, U+FE70–FEFF) and the joiners and direction marks
#   (U+200C–200F, U+061C, U+2066–2069). Every OpenType layout feature is kept: Arabic needs
#   init/medi/fina/isol, rlig, mark and mkmk to join and place its vowels.
# - Chinese (Simplified), Noto Sans CJK SC regular and bold (face 2 of Debian's .ttc): the
#   3,755 hanzi of GB 2312 level 1 (rows 16–55, the "常用字" ordered by frequency that
#   every Simplified Chinese input method and school text is built on; together they cover
#   about 99.7 % of the characters in running modern text), the GB 2312 symbol rows 1–9
#   (punctuation, full-width forms, numbers in circles), CJK Symbols and Punctuation
#   (U+3000–303F) and the Half/Full-width Forms (U+FF00–FFEF). Level 2 (3,008 rarer
#   hanzi) would roughly double the files; a rarer character falls back to the system's
#   sans-serif font. --no-layout-closure keeps only the glyphs the characters map to: the
#   closure would add some 3,200 Japanese, Traditional and vertical variants (4,610 glyphs
#   instead of 7,834, and half the size) that horizontal Simplified Chinese never uses.
# - Cyrillic, Noto Sans regular, bold and italic and Noto Serif regular and bold: the Cyrillic
#   block (U+0400–04FF), the numero sign (U+2116) and the spaces (Pango sets the space between
#   two Russian words in the Russian face). The Latin subsets already committed
#   stay as they are; print.html joins both under one family name with unicode-range.
set -eu
PY=${1:-python3}
NOTO=/usr/share/fonts/truetype/noto
CJK=/usr/share/fonts/opentype/noto
OUT=$(dirname "$0")/../partnerpost/editions/static/editions/fonts
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ARABIC="U+0600-06FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F,U+061C,U+2066-2069,U+0020,U+00A0"
for weight in Regular Bold; do
  "$PY" -m fontTools.subset "$NOTO/NotoNaskhArabic-$weight.ttf" --unicodes="$ARABIC" \
    --layout-features='*' --no-hinting --output-file="$OUT/NotoNaskhArabic-$weight.subset.ttf"
done

# GB 2312 is a 94×94 grid of two-byte codes 0xA1A1–0xFEFE; level 1 is rows 16–55
# (lead bytes 0xB0–0xD7, and row 55 stops at 0xD7F9), the symbols are rows 1–9.
"$PY" - "$TMP/gb2312.txt" <<'PYEOF'
import sys
chars = []
for lead in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xD8)):
    for trail in range(0xA1, 0xFF):
        try:
            chars.append(bytes([lead, trail]).decode("gb2312"))
        except UnicodeDecodeError:
            pass  # unassigned cells, and row 55 after 0xD7F9
hanzi = [c for c in chars if "\u4e00" <= c <= "\u9fff"]
assert len(hanzi) == 3755, len(hanzi)
open(sys.argv[1], "w", encoding="utf-8").write("".join(chars))
PYEOF
for weight in Regular Bold; do
  "$PY" -m fontTools.subset "$CJK/NotoSansCJK-$weight.ttc" --font-number=2 --no-hinting --no-layout-closure \
    --text-file="$TMP/gb2312.txt" --unicodes="U+3000-303F,U+FF00-FFEF,U+0020,U+00B7,U+2014,U+2018-201D,U+2026" \
    --output-file="$OUT/NotoSansSC-$weight.subset.otf"
done

CYRILLIC="U+0400-04FF,U+2116,U+0020,U+00A0"
for face in NotoSans-Regular NotoSans-Bold NotoSans-Italic NotoSerif-Regular NotoSerif-Bold; do
  "$PY" -m fontTools.subset "$NOTO/$face.ttf" --unicodes="$CYRILLIC" \
    --layout-features='*' --no-hinting --output-file="$OUT/$face-Cyrillic.ttf"
done
ls -l "$OUT"
