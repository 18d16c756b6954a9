"""Serializers of scorecard exports: the request, and the job it creates."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Merger
from core.api.fields import ProgramRelatedField
from core.dates import date_plausible
from scorecards.models import ExportJob
from scorecards.services.exports import export_download_name


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    """A month as YYYY-MM (a full date is accepted and read as its month)."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def to_internal_value(self, data) -> dt.date:
        text = str(data).strip()
        for pattern in ("%Y-%m", "%Y-%m-%d"):
            try:
                month = dt.datetime.strptime(text, pattern).date().replace(day=1)
            except ValueError:
                continue
            if date_plausible(month):
                return month
        self.fail("invalid")

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


# A report of one program for one month. A comment, not a docstring: the schema would
# describe every report with it.
class ProgramMonthSerializer(serializers.Serializer):
    merger = serializers.IntegerField()
    month = MonthField()


class ExportRequestSerializer(serializers.Serializer):
    merger = ProgramRelatedField(
        queryset=Merger.objects.all(),
        merger_lookup="id",
        required=False,
        help_text=_("The program; may be left out by members of a single program."),
    )
    month = MonthField(help_text=_("The month of the scorecard, YYYY-MM."))
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)


class ExportJobSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    filename = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "merger",
            "report",
            "month",
            "format",
            "status",
            "progress",
            "message",
            "filename",
            "download_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_filename(self, job: ExportJob) -> str:
        return export_download_name(job=job)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: ExportJob) -> str | None:
        """Set once the file is ready."""
        if job.status != ExportJob.Status.SUCCEEDED:
            return None
        path = reverse("api:export-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
