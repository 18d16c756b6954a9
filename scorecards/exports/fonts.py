"""Fonts for the PDF board pack, chosen so that account and segment names render.

DejaVu Sans (accented Latin, Greek, Cyrillic) ships with the app, in
scorecards/exports/fonts (Bitstream Vera licence, LICENSE-DejaVu.txt), and is
embedded in every pack. Characters it lacks (Chinese, Japanese, Korean) are
set in Adobe's STSong-Light CID font, which reportlab references without
embedding: PDF viewers supply it (poppler-data on Linux, Acrobat's Asian font
pack, macOS Preview). A CJK font embedded would add megabytes to each pack.
Should the bundled files be missing, the pack falls back to Helvetica.
"""

import html
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRECTORIES = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
REGULAR_FILE, BOLD_FILE = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
CJK_FONT = "STSong-Light"
# Helvetica's WinAnsi encoding: Latin-1 plus a few typographic signs.
WIN_ANSI_EXTRA = frozenset("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    embedded: bool
    glyphs: frozenset[int] | None

    def has(self, character: str) -> bool:
        if self.glyphs is not None:
            return ord(character) in self.glyphs
        return ord(character) < 256 or character in WIN_ANSI_EXTRA

    def markup(self, text: str) -> str:
        """Paragraph markup: escaped, with runs the body font lacks set in the CJK font."""
        parts: list[str] = []
        for missing, run in groupby(text, key=self._missing):
            escaped = html.escape("".join(run), quote=False)
            parts.append(f'<font name="{CJK_FONT}">{escaped}</font>' if missing else escaped)
        return "".join(parts)

    def _missing(self, character: str) -> bool:
        return not (character.isspace() or self.has(character))


@cache
def pdf_fonts() -> FontSet:
    """Registers the fonts once per process."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    directory = _dejavu_directory()
    if directory is None:
        return FontSet(regular="Helvetica", bold="Helvetica-Bold", embedded=False, glyphs=None)
    regular = TTFont("DejaVuSans", str(directory / REGULAR_FILE))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(directory / BOLD_FILE)))
    pdfmetrics.registerFontFamily(
        "DejaVuSans",
        normal="DejaVuSans",
        bold="DejaVuSans-Bold",
        italic="DejaVuSans",
        boldItalic="DejaVuSans-Bold",
    )
    return FontSet(
        regular="DejaVuSans",
        bold="DejaVuSans-Bold",
        embedded=True,
        glyphs=frozenset(regular.face.charToGlyph),
    )


def _dejavu_directory() -> Path | None:
    for directory in FONT_DIRECTORIES:
        if (directory / REGULAR_FILE).is_file() and (directory / BOLD_FILE).is_file():
            return directory
    return None
