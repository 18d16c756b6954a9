"""The board pack: cover, program scorecard, six-C heat map and a page per segment.

Everything on it comes from the report's sections, so the PDF shows the same
figures as the CSV and XLSX renderings of the same report.
"""

from scorecards.exports.pdf.document import render_pdf

__all__ = ["render_pdf"]
