"""The web fonts of the portal's pages, made from the full fonts in static/fonts (which PDFs
keep using) into static/vendor/fonts (not in git). Issue 25 §1: on a slow phone the two fonts
of every page were 32 KB of a first visit.

Each style is cut in two files, declared in static/css/theme.css with the same
`unicode-range`s, the way Google Fonts serves its subsets: the browser downloads a file only
when the page holds a character of its range.

- **core** (``source-sans-3-400-normal.woff2``): Basic Latin, the accented letters of Dutch
  and Frisian (à á â ä ç è é ê ë í î ï ñ ó ô ö ú û ü ij, capitals too), the typographic
  quotes, dashes, ellipsis, bullet, middle dot, the monitor's × for a hidden cell, euro,
  no-break and thin space. Every Dutch page needs only this.
- **extension** (``…-ext.woff2``): the rest of Latin-1 and the few other characters the
  portal may show in names, amounts and tables (Ø, Å, ß, §, ™, the minus …). Fetched
  only by a page that shows one of them; drawn in the same typeface as before.

Kept in both: the OpenType features a page uses (kerning, ligatures, mark positioning).
Left out: combining marks, modifier letters, arrows, fractions and proportional figures,
which no page shows or asks for (a character outside both files falls back to the next
font, as it already did for the characters the full files lack). Hinting stays, so the
letters are drawn as before.

Deterministic: the same input gives the same bytes, so the fingerprinted name changes only
when the fonts do. Run by scripts/bootstrap.sh (``make setup``) and the Dockerfile:

    python scripts/subset_fonts.py
"""

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "fonts"
TARGET = ROOT / "static" / "vendor" / "fonts"
STYLES = ("400-normal", "700-normal", "400-italic")
SOURCE_NAME = "source-sans-3-latin-{style}.woff2"
# The ranges are also the unicode-range of the @font-face rules in static/css/theme.css;
# tests/weerbaar/test_fonts.py checks that the two agree.
CORE = (
    "U+0020-007E,U+00A0,U+00B7,U+00C0-00C4,U+00C7-00CF,U+00D1-00D4,U+00D6-00D7,U+00D9-00DC,"
    "U+00E0-00E4,U+00E7-00EF,U+00F1-00F4,U+00F6,U+00F9-00FC,U+0132-0133,U+2009,"
    "U+2013-2014,U+2018-201A,U+201C-201E,U+2022,U+2026,U+20AC"
)
EXTENSION = (
    "U+00A1-00B6,U+00B8-00BF,U+00C5-00C6,U+00D0,U+00D5,U+00D8,U+00DD-00DF,U+00E5-00E6,U+00F0,"
    "U+00F5,U+00F7-00F8,U+00FD-00FF,U+0131,U+0152-0153,U+2039-203A,U+2122,U+2212"
)
FEATURES = "ccmp,liga,locl,kern,mark,mkmk"
FILES = {"": CORE, "-ext": EXTENSION}


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        for suffix, unicodes in FILES.items():
            subset.main(
                [
                    str(SOURCE / SOURCE_NAME.format(style=style)),
                    f"--unicodes={unicodes}",
                    f"--layout-features={FEATURES}",
                    "--flavor=woff2",
                    f"--output-file={TARGET / f'source-sans-3-{style}{suffix}.woff2'}",
                ]
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
