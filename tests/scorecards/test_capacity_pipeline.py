"""The Capacity indicator read at the month's end: open pipeline expected by then against
the cross-sell quota still to win. It is not the dashboard's pipeline coverage (that counts
only the deals due from today, so a closed month has none): its words must never say so."""

from decimal import Decimal

import pytest
from django.utils import translation

from scorecards.indicators import BY_CODE
from scorecards.selectors.board_pack import risk_rows

# How each language says "cover" or "coverage": the dashboard's figure, not this one.
COVERAGE_WORDS = {
    "en": ("cover",),
    "ru": ("покры", "покрыт"),
    "it": ("copr", "copert"),
    "zh-hans": ("覆盖",),
}


@pytest.mark.parametrize("language", COVERAGE_WORDS)
def test_the_indicators_words_never_call_it_pipeline_coverage(language):
    indicator = BY_CODE["pipeline_coverage"]
    with translation.override(language):
        tile = translation.gettext("Pipeline coverage")
        texts = [str(indicator.label), str(indicator.weak_sentence), str(indicator.needs)]
        texts.append(str(indicator.source))
    assert tile not in texts
    for text in texts:
        for word in COVERAGE_WORDS[language]:
            assert word not in text.lower(), text


def test_the_label_says_what_the_dashboards_coverage_leaves_out():
    label = str(BY_CODE["pipeline_coverage"].label)

    # Deals expected by the month's end, the overdue ones too: a month-end reading.
    assert "by the month's end" in label
    assert "overdue included" in label


@pytest.mark.parametrize("language", COVERAGE_WORDS)
def test_the_board_packs_advice_for_a_segment_behind_target_names_no_coverage(language):
    behind = [{"segment": "Mining", "gap_pct": Decimal("0.5")}]
    with translation.override(language):
        rows = risk_rows(segments=behind, scores=[], open_count=0, stale_count=0)
        advice = str(rows[0][-1])
    for word in COVERAGE_WORDS[language]:
        assert word not in advice.lower(), advice
