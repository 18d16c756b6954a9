"""Imports of CRM files, and the column mappings saved for the next file."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models.companies import LegacyCompany
from accounts.models.fields import user_field
from accounts.models.program import Merger


class ColumnMapping(models.Model):
    """A saved mapping of a file's columns onto our fields, reused for later imports."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of data"), max_length=20)
    columns = models.JSONField(_("columns"), default=dict)
    created_by = user_field()

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="column_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        PRODUCTS = "products", _("Products")
        INSTALL_BASE = "install_base", _("Install base")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, waiting for preview")
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Failed, nothing written")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="imports")
    company = models.ForeignKey(LegacyCompany, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    columns = models.JSONField(_("column mapping"), default=dict)

    class MissingRate(models.TextChoices):
        WAIT = "wait", _("Import the row; its amounts wait for the rate")
        REFUSE = "refuse", _("Refuse the file, naming each missing rate")

    default_currency = models.CharField(
        _("currency of amounts without one"),
        max_length=3,
        blank=True,
        help_text=_(
            "Amounts with no currency column and no code or symbol in the cell, and "
            "ambiguous symbols such as $ or ¥, are read in this currency. Blank: the "
            "program's reporting currency."
        ),
    )
    missing_rate = models.CharField(
        _("an amount with no exchange rate for its month"),
        max_length=6,
        choices=MissingRate.choices,
        default=MissingRate.WAIT,
    )
    # What the run read but did not refuse: ambiguous symbols, rows waiting for a rate.
    notices = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # The first problems of the file (accounts.services.imports.checking.MAX_STORED_ERRORS) ...
    errors = models.JSONField(default=list)
    # ... and how many there were in all.
    error_count = models.PositiveIntegerField(_("problems found"), default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = user_field()
    created_at = models.DateTimeField(auto_now_add=True)
    # Every change of status or progress; a queued or running job without one for
    # long is failed by accounts.services.imports.import_jobs_fail_stalled.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Each start counts one; a task of an earlier start that arrives late does nothing.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")), name="import_progress_bounded"
            ),
            models.CheckConstraint(
                condition=Q(default_currency="") | Q(default_currency__regex=r"^[A-Z]{3}$"),
                name="import_default_currency_iso_code",
            ),
            models.CheckConstraint(
                condition=Q(missing_rate__in=["wait", "refuse"]),
                name="import_known_missing_rate_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"
