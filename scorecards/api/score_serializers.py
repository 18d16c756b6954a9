"""Serializers of the six-C scores, their evidence, assessments and the program scorecard."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Segment
from core.api.fields import ProgramRelatedField
from core.people import person_name
from scorecards.api.serializers import MonthField, ProgramMonthSerializer
from scorecards.indicators import BY_CODE
from scorecards.models import Assessment, CScore, IndicatorValue, SegmentScore, SixC


def _score(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=3, decimal_places=2, **kwargs)


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


# A row of one segment and month, read only. A comment, not a docstring: the schema
# would describe every row with it.
class _SegmentMonthSerializer(serializers.ModelSerializer):
    FIELDS = ["id", "merger", "segment", "month"]

    month = MonthField(read_only=True)


# A score of one segment and month, shown with the segment's name.
class _NamedSegmentMonthSerializer(_SegmentMonthSerializer):
    FIELDS = ["id", "merger", "segment", "segment_name", "month"]

    segment_name = serializers.CharField(source="segment.name", read_only=True)


class CScoreSerializer(_NamedSegmentMonthSerializer):
    c_label = serializers.CharField(source="get_c_display", read_only=True)

    class Meta:
        model = CScore
        fields = [
            *_NamedSegmentMonthSerializer.FIELDS,
            "c",
            "c_label",
            "computed",
            "score",
            "scored",
            "explanation",
            "weakest_code",
            "weakest_value",
            "weakest_score",
            "frozen",
            "computed_at",
        ]
        read_only_fields = fields

    scored = serializers.SerializerMethodField(
        help_text=_("False while no indicator of the C has data: the C is not scored.")
    )

    def get_scored(self, score: CScore) -> bool:
        return score.score is not None


class IndicatorValueSerializer(_SegmentMonthSerializer):
    program_wide = serializers.SerializerMethodField(
        help_text=_("Measured once for the program: the same value in every segment.")
    )

    class Meta:
        model = IndicatorValue
        fields = [
            *_SegmentMonthSerializer.FIELDS,
            "c",
            "code",
            "label",
            "value",
            "unit",
            "threshold",
            "score",
            "source",
            "program_wide",
            "frozen",
        ]
        read_only_fields = fields

    def get_program_wide(self, value: IndicatorValue) -> bool:
        indicator = BY_CODE.get(value.code)
        return bool(indicator and indicator.program_wide)


class SegmentScoreSerializer(_NamedSegmentMonthSerializer):
    class Meta:
        model = SegmentScore
        fields = [
            *_NamedSegmentMonthSerializer.FIELDS,
            "composite",
            "scored_count",
            "strong_count",
            "frozen",
            "computed_at",
        ]
        read_only_fields = fields


class AssessmentSerializer(_SegmentMonthSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            *_SegmentMonthSerializer.FIELDS,
            "c",
            "mode",
            "score",
            "evidence",
            "author",
            "author_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, assessment: Assessment) -> str:
        return person_name(assessment.author)


class AssessmentCreateSerializer(serializers.Serializer):
    segment = ProgramRelatedField(queryset=Segment.objects.all())
    month = MonthField(help_text=_("The month assessed, YYYY-MM; a frozen month is refused."))
    c = serializers.ChoiceField(choices=SixC.choices)
    mode = serializers.ChoiceField(choices=Assessment.Mode.choices)
    score = _score(
        help_text=_("1 to 5 for an override; -2 to +2 for an adjustment of the computed score.")
    )
    evidence = serializers.CharField(
        help_text=_("What the judgement rests on; required and kept with the score.")
    )


class SynergyLineSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_("Segment id, 'none' for no segment, direction code or 'program'.")
    )
    label = serializers.CharField()
    target_to_date = _money(allow_null=True)  # null: no target is set (No segment)
    realized = _money()
    forecast_low = _money()
    forecast = _money(help_text=_("Realized plus the weighted open pipeline."))
    forecast_high = _money()
    gap_pct = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text=_("How far realized falls short of the target to date, in percent."),
    )


class ProgramScorecardSerializer(ProgramMonthSerializer):
    months_since_day_one = serializers.IntegerField()
    horizon_months = serializers.IntegerField()
    horizon_elapsed_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    total_target = _money()
    research_average_gap_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        help_text=_("The average gap between cross-sell target and result in research, ~20%."),
    )
    program = SynergyLineSerializer()
    by_segment = SynergyLineSerializer(many=True)
    by_direction = SynergyLineSerializer(many=True)


class SixCIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    unit = serializers.CharField(allow_blank=True)
    threshold = serializers.CharField(allow_blank=True)
    score = _score(allow_null=True)
    measured = serializers.BooleanField(help_text=_("An indicator without data does not count."))
    needs = serializers.CharField(help_text=_("What data would measure it."), allow_blank=True)
    program_wide = serializers.BooleanField()
    source = serializers.CharField()


class WeakestSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    score = _score()


class SixCScoreSerializer(serializers.Serializer):
    c = serializers.CharField()
    c_label = serializers.CharField()
    scored = serializers.BooleanField(
        help_text=_("False while no indicator has data: the C is not scored, not weak.")
    )
    score = _score(allow_null=True, help_text=_("After any leader's assessment."))
    computed = _score(allow_null=True, help_text=_("The mean of the measured indicators."))
    explanation = serializers.CharField()
    weakest = WeakestSerializer(
        allow_null=True, help_text=_("The lowest-scoring measured indicator, beside the mean.")
    )
    missing_data = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("What data would measure the indicators that are not measured."),
    )
    indicators = SixCIndicatorSerializer(many=True)


class SixCSegmentSerializer(serializers.Serializer):
    segment = serializers.IntegerField()
    segment_name = serializers.CharField()
    composite = _score(allow_null=True, help_text=_("Weighted mean over the scored Cs only."))
    scored_count = serializers.IntegerField()
    strong_count = serializers.IntegerField()
    cs = SixCScoreSerializer(many=True)


class SixCSerializer(ProgramMonthSerializer):
    source = serializers.CharField(
        help_text=_(
            "frozen: the month's frozen scores; stored: scores the recompute stored after the "
            "latest data change; live: scored now from current data (nothing is stored)."
        ),
    )
    computed_at = serializers.DateTimeField(allow_null=True)
    segments = SixCSegmentSerializer(many=True)
