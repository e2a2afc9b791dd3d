"""The web fonts of the portal's pages, made from the full fonts in static/fonts (which PDFs
keep using) into static/vendor/fonts (not in git). Issue 25 §1: on a slow phone the two fonts
of every page were 32 KB of a first visit.

Kept: the characters Dutch and English text needs (Basic Latin, Latin-1 with the accented
letters of Dutch, Frisian and the loanwords, the typographic quotes, dashes, ellipsis, bullet,
euro, minus, thin space) and the OpenType features a page uses (kerning, ligatures, mark
positioning). Left out: combining marks, modifier letters, arrows, fractions and proportional
figures, which no page shows or asks for (a character outside the set falls back to the next
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
FONTS = {
    f"source-sans-3-latin-{style}.woff2": f"source-sans-3-{style}.woff2"
    for style in ("400-normal", "700-normal", "400-italic")
}
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+2009,U+2013-2014,U+2018-201A,"
    "U+201C-201E,U+2022,U+2026,U+2039-203A,U+20AC,U+2122,U+2212"
)
FEATURES = "ccmp,liga,locl,kern,mark,mkmk"


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target in FONTS.items():
        subset.main(
            [
                str(SOURCE / source),
                f"--unicodes={UNICODES}",
                f"--layout-features={FEATURES}",
                "--flavor=woff2",
                f"--output-file={TARGET / target}",
            ]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
