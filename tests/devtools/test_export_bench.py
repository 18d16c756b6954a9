"""The export benchmark times each format against its budget."""

from devtools.bench.exports import PDF_BUDGET_SECONDS, XLSX_BUDGET_SECONDS, exports_bench
from tests.scorecards.export_program import MONTH, scored_program


def test_bench_times_the_xlsx_and_the_pdf_of_a_program(merger, rep):
    scored_program(merger, rep, ["Food & beverage", "Utilities"])

    xlsx, pdf = exports_bench(merger=merger, month=MONTH)

    assert (xlsx.format, xlsx.budget_seconds) == ("xlsx", XLSX_BUDGET_SECONDS)
    assert (pdf.format, pdf.budget_seconds) == ("pdf", PDF_BUDGET_SECONDS)
    assert xlsx.size_bytes > 0 and pdf.size_bytes > 0
    assert xlsx.total_seconds <= XLSX_BUDGET_SECONDS and pdf.total_seconds <= PDF_BUDGET_SECONDS
