"""Fonts for the PDF board pack, chosen so that every name and label renders.

Two fonts ship with the app, in scorecards/exports/fonts, and are embedded as
subsets (reportlab writes only the glyphs a pack uses, so a pack stays small):
DejaVu Sans (accented Latin, Greek, Cyrillic; Bitstream Vera licence) and
WenQuanYi Micro Hei cut down to GB2312 and Latin-1 (Simplified Chinese with
Latin letters and digits; Apache 2.0, how it was cut is in its licence file).
In Chinese the pack is set in WenQuanYi Micro Hei, so that canvas strings and
chart labels render too, and falls back to DejaVu for what it lacks (Cyrillic);
in other languages the other way round. The rare character neither has is set in Adobe's
STSong-Light CID font, which PDF viewers supply. Should the bundled files be
missing, the pack falls back to Helvetica.
"""

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path

from django.utils import translation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

BUNDLED = Path(__file__).resolve().parent / "fonts"
FONT_DIRECTORIES = (
    BUNDLED,
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
REGULAR_FILE, BOLD_FILE = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
CJK_FILE, CJK_EMBEDDED = "WenQuanYiMicroHei-GB2312.ttf", "WenQuanYiMicroHei"
CJK_FONT = "STSong-Light"
# Helvetica's WinAnsi encoding: Latin-1 plus a few typographic signs.
WIN_ANSI_EXTRA = frozenset("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


@dataclass(frozen=True)
class Face:
    name: str
    glyphs: frozenset[int] | None  # None: Helvetica's WinAnsi set

    def has(self, character: str) -> bool:
        if self.glyphs is not None:
            return ord(character) in self.glyphs
        return ord(character) < 256 or character in WIN_ANSI_EXTRA


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    faces: Sequence[Face]  # the body font first, then what stands in for it

    def has(self, character: str) -> bool:
        return self.faces[0].has(character)

    def markup(self, text: str) -> str:
        """Paragraph markup: escaped, each run the body font lacks set in a font that has it."""
        parts: list[str] = []
        for font, run in groupby(text, key=self._font_for):
            escaped = html.escape("".join(run), quote=False)
            parts.append(escaped if font is None else f'<font name="{font}">{escaped}</font>')
        return "".join(parts)

    def _font_for(self, character: str) -> str | None:
        if character.isspace() or self.faces[0].has(character):
            return None
        for face in self.faces[1:]:
            if face.has(character):
                return face.name
        return CJK_FONT


def pdf_fonts() -> FontSet:
    """The fonts for the active language, registered once per process."""
    return _font_set(chinese=(translation.get_language() or "").startswith("zh"))


@cache
def _font_set(*, chinese: bool) -> FontSet:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    dejavu, cjk = _dejavu(), _cjk()
    if chinese and cjk is not None:
        latin = [dejavu] if dejavu is not None else []
        return FontSet(regular=cjk.name, bold=cjk.name, faces=[cjk, *latin])
    if dejavu is None:
        helvetica = Face("Helvetica", None)
        faces = [helvetica, cjk] if cjk is not None else [helvetica]
        return FontSet(regular="Helvetica", bold="Helvetica-Bold", faces=faces)
    faces = [dejavu, cjk] if cjk is not None else [dejavu]
    return FontSet(regular=dejavu.name, bold="DejaVuSans-Bold", faces=faces)


@cache
def _dejavu() -> Face | None:
    directory = _directory_with(REGULAR_FILE, BOLD_FILE)
    if directory is None:
        return None
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
    return Face("DejaVuSans", frozenset(regular.face.charToGlyph))


@cache
def _cjk() -> Face | None:
    if not (BUNDLED / CJK_FILE).is_file():
        return None
    font = TTFont(CJK_EMBEDDED, str(BUNDLED / CJK_FILE))
    pdfmetrics.registerFont(font)
    # No bold cut: bold Chinese is set in the regular weight.
    pdfmetrics.registerFontFamily(
        CJK_EMBEDDED,
        normal=CJK_EMBEDDED,
        bold=CJK_EMBEDDED,
        italic=CJK_EMBEDDED,
        boldItalic=CJK_EMBEDDED,
    )
    return Face(CJK_EMBEDDED, frozenset(font.face.charToGlyph))


def _directory_with(*files: str) -> Path | None:
    for directory in FONT_DIRECTORIES:
        if all((directory / name).is_file() for name in files):
            return directory
    return None
