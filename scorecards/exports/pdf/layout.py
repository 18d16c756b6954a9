"""The page, its colours and the paragraph and table styles of the board pack."""

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import TableStyle

from scorecards.exports.fonts import FontSet

PAGE = landscape(A4)
MARGIN = 1.5 * cm
# Room for the footer under the frame.
BOTTOM_MARGIN = MARGIN + 0.4 * cm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
# What a page holds: the frame less its padding (6 points at top and bottom).
FRAME_HEIGHT = PAGE[1] - MARGIN - BOTTOM_MARGIN - 12
GRID = colors.HexColor("#c8ced3")
HEADER_BACKGROUND = colors.HexColor("#e8eef4")
ZEBRA = colors.HexColor("#f7f9fa")


def fit_widths(widths: list[float]) -> list[float]:
    """Shrinks column widths proportionally to the frame when they would overflow it."""
    total = sum(widths)
    if total <= FRAME_WIDTH:
        return widths
    return [width * FRAME_WIDTH / total for width in widths]


def grid_style(*, header: bool, zebra: bool = True) -> TableStyle:
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND))
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, ZEBRA]))
    return TableStyle(commands)


def paragraph_styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    styles = _styles(fonts)
    for style in styles.values():
        # A word too long for its line breaks after a hyphen it has ("Predictive-" /
        # "maintenance"), not at whatever letter the line ends on; a word without one is
        # still split, rather than run into the next column.
        style.embeddedHyphenation = 1
    return styles


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    regular, bold = fonts.regular, fonts.bold
    grey = colors.HexColor("#5b6770")
    return {
        "cover_kicker": ParagraphStyle("cover_kicker", fontName=bold, fontSize=14, leading=18),
        "cover_title": ParagraphStyle(
            "cover_title", fontName=bold, fontSize=30, leading=36, spaceBefore=6
        ),
        "cover_month": ParagraphStyle(
            "cover_month", fontName=regular, fontSize=18, leading=24, textColor=grey
        ),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=12, leading=15, spaceBefore=4, spaceAfter=4
        ),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=13),
        "muted": ParagraphStyle("muted", fontName=regular, fontSize=9, leading=12, textColor=grey),
        "footer": ParagraphStyle("footer", fontName=regular, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
        "cell_head": ParagraphStyle("cell_head", fontName=bold, fontSize=8, leading=10),
        "cell_head_small": ParagraphStyle("cell_head_small", fontName=bold, fontSize=7, leading=9),
        "cell_number": ParagraphStyle(
            "cell_number", fontName=regular, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
    }
