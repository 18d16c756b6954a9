"""The dashboard as JSON: its tiles and the data behind each of its charts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scorecards.api.serializers import ProgramMonthSerializer
from tracker.api.serializers import WinSerializer


def _amount(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


def _amounts(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=_amount(allow_null=True), **kwargs)


def _dates(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.DateField(), **kwargs)


def _ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), **kwargs)


def _names(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), **kwargs)


class DashboardTileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = _amount(allow_null=True)
    unit = serializers.CharField(help_text=_("money, percent or ratio."))
    previous = _amount(allow_null=True, help_text=_("The same figure a month earlier."))
    change = _amount(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class DashboardImpactSerializer(serializers.Serializer):
    months = _dates()
    realized = _amounts(help_text=_("Cumulative won cross-sell revenue at each month end."))
    target = _amounts(help_text=_("Cumulative cross-sell target."))
    forecast_months = _dates()
    forecast_low = _amounts()
    forecast_high = _amounts()


class DashboardFunnelSerializer(serializers.Serializer):
    stages = _names()
    stage_ids = _ids()
    counts = _ids()
    amounts = _amounts()


class DashboardSegmentDirectionSerializer(serializers.Serializer):
    segments = _names()
    segment_ids = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("null: the deals on accounts without a segment (No segment)."),
    )
    amounts_by_direction = serializers.DictField(
        child=_amounts(), help_text=_("Open pipeline per segment, by direction code.")
    )
    direction_labels = serializers.DictField(child=serializers.CharField())


class DashboardAttainmentSerializer(serializers.Serializer):
    names = _names()
    ids = _ids()
    attainment = serializers.ListField(
        child=serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True),
        help_text=_("Credited cross-sell won over cross-sell quota, in percent."),
    )


class DashboardSixCSerializer(serializers.Serializer):
    segments = _names()
    segment_ids = _ids()
    cs = _names(help_text=_("The order of the six Cs in each row of scores."))
    scores = serializers.ListField(
        child=serializers.ListField(
            child=serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
        ),
        help_text=_("Per segment, each C's score; null where the C is not scored (no data)."),
    )
    missing = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text=_("Per segment and C, the data that would score a C that is not scored."),
    )
    radar_segment = serializers.CharField(allow_blank=True)
    radar_segment_id = serializers.IntegerField(allow_null=True)
    radar = serializers.DictField(child=serializers.DecimalField(max_digits=3, decimal_places=2))
    radar_previous = serializers.DictField(
        child=serializers.DecimalField(max_digits=3, decimal_places=2)
    )
    has_scores = serializers.BooleanField()
    source = serializers.CharField(
        help_text=_("frozen, stored (after the latest data change) or live (scored now).")
    )


class DashboardOverlapSerializer(serializers.Serializer):
    months = _dates()
    counts = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        help_text=_(
            "Unified accounts at each month end, by customer status, as the overlap page "
            "counts them; null where a closed month's freeze did not keep the status. "
            "not_measured: accounts whose status at that month end is not measured (a "
            "customer the CRM flags, before its flag was first imported), present only "
            "where there are any. prospect_or_neither: prospects and greenfield of a month "
            "frozen before they were told apart."
        ),
    )
    transitions = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        help_text=_(
            "Accounts changing customer status in each month, by transition: "
            "acquirer_only_to_both, acquired_only_to_both, new_both, new_acquirer_only, "
            "new_acquired_only."
        ),
    )


class DashboardSerializer(ProgramMonthSerializer):
    source = serializers.CharField(
        help_text=_(
            "live: the current month; snapshot: a frozen month-end snapshot; kept: a "
            "closed month for filters no snapshot line holds, summed from the deals its "
            "snapshot kept (win rate and attainment not measured); recomputed: a past "
            "month not frozen yet, or frozen before its deals were kept, computed from "
            "current data."
        ),
    )
    frozen_at = serializers.DateTimeField(allow_null=True)
    currency = serializers.CharField()
    missing = _names(help_text=_("What the program still lacks, and how to get it."))
    tiles = DashboardTileSerializer(many=True)
    impact = DashboardImpactSerializer()
    funnel = DashboardFunnelSerializer()
    segment_direction = DashboardSegmentDirectionSerializer()
    attainment_teams = DashboardAttainmentSerializer()
    attainment_reps = DashboardAttainmentSerializer()
    six_c = DashboardSixCSerializer()
    overlap = DashboardOverlapSerializer()
    wins = WinSerializer(many=True)
