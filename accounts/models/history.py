"""The one history of every business record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models.fields import user_field
from accounts.models.imports import ImportJob
from accounts.models.program import Merger


class RecordChange(models.Model):
    """History of any business record: who changed it, when, through what, each field's values.

    One table for every kind of record, written by the services. Nothing points
    at the record itself (content type and id only), so its history outlives
    it: a deletion is one more row, with who deleted and the last values.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        # Opportunities only: a closed deal opened again, a leader's risk override.
        REOPENED = "reopened", _("Reopened")
        OVERRIDDEN = "overridden", _("Risk override")

    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        TASK = "task", _("Background task or command")

    merger = models.ForeignKey(
        Merger, on_delete=models.CASCADE, null=True, blank=True, related_name="record_changes"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action.choices)
    # {field: [from, to]}, values as text: "Name (#id)", ISO dates, Decimal strings.
    changes = models.JSONField(default=dict, blank=True)
    actor = user_field(blank=True)
    # Kept beside the link, so that the name survives the login's deletion.
    actor_name = models.CharField(max_length=150, blank=True)
    via = models.CharField(max_length=6, choices=Via.choices)
    at = models.DateTimeField(db_index=True)
    # The import that made the change, so that a job lists the fields it changed.
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="record_changes"
    )

    class Meta:
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="record_change_record"),
            models.Index(fields=["merger", "-at"], name="record_change_program"),
            models.Index(fields=["merger", "actor", "-at"], name="record_change_actor"),
            # The month replay and restatements: one kind of record of a program, by time.
            models.Index(fields=["content_type", "merger", "at"], name="record_change_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.action}"
