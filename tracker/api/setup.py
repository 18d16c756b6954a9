"""The setup checklist over the API: what a program still needs before it runs."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Merger
from core.api.base import ProgramReportViewSet
from tracker.selectors.setup import setup_checklist


class SetupStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=["done", "started", "todo"])
    detail = serializers.CharField()
    optional = serializers.BooleanField()


class SetupChecklistSerializer(serializers.Serializer):
    merger = serializers.IntegerField()
    complete = serializers.BooleanField()
    done_count = serializers.IntegerField()
    required_count = serializers.IntegerField()
    steps = SetupStepSerializer(many=True)


@extend_schema(tags=["programs"])
class SetupViewSet(ProgramReportViewSet):
    """A program's setup checklist, addressed by the program's id; each state read from data."""

    access_resource = "setup"
    merger_lookup = "id"
    queryset = Merger.objects.order_by("id")
    serializer_class = SetupChecklistSerializer

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        merger = self.get_object()
        checklist = setup_checklist(merger=merger)
        body = {
            "merger": merger.pk,
            "complete": checklist.complete,
            "done_count": checklist.done_count,
            "required_count": len(checklist.required),
            "steps": [
                {
                    "key": step.key,
                    "title": str(step.title),
                    "state": str(step.state),
                    "detail": step.detail,
                    "optional": step.optional,
                }
                for step in checklist.steps
            ],
        }
        return Response(SetupChecklistSerializer(body).data)
