"""Export jobs built in the background, and the monthly board pack for executives."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.services.preferences import user_language_set
from core.access import Role
from scorecards.exports.renderers import RENDERERS
from scorecards.models import ExportJob
from scorecards.services.exports import (
    MONTHLY_EMAIL,
    export_request,
    export_run,
    monthly_exports_send,
    previous_month,
)
from scorecards.tasks import send_monthly_exports
from tests import factories
from tests.scorecards.export_program import MONTH, scored_program


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def program(merger, rep):
    return scored_program(merger, rep, ["Food & beverage", "Utilities"])


def _requested(actor, merger, fmt, capture) -> ExportJob:
    with capture(execute=True):
        job = export_request(actor=actor, merger=merger, month=MONTH, fmt=fmt)
    job.refresh_from_db()
    return job


def test_requested_export_is_built_after_commit_and_can_be_opened(
    merger, program, executive_user, django_capture_on_commit_callbacks
):
    job = _requested(executive_user, merger, "xlsx", django_capture_on_commit_callbacks)

    assert job.status == ExportJob.Status.SUCCEEDED
    assert job.progress == 100
    assert job.finished_at >= job.created_at
    assert job.requested_by == executive_user
    assert job.file.name.endswith("sensa-predikt-scorecard-2026-05.xlsx")
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    assert "Six Cs by segment" in workbook.sheetnames


def test_build_reports_its_progress_on_the_job(merger, program, leader_user, monkeypatch):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="csv")
    seen = []

    def render(report):
        seen.append(ExportJob.objects.values_list("status", "progress").get(pk=job.pk))
        return b"section\r\n"

    monkeypatch.setitem(RENDERERS, "csv", render)
    export_run(job_id=job.pk)

    assert seen == [(ExportJob.Status.RUNNING, 50)]
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.SUCCEEDED, 100)


def test_failing_render_marks_the_job_failed_with_a_message(merger, program, monkeypatch):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="pdf")

    def broken(report):
        raise RuntimeError("chart has no data")

    monkeypatch.setitem(RENDERERS, "pdf", broken)
    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "RuntimeError: chart has no data" in job.message
    assert job.finished_at is not None
    assert not job.file


def test_succeeded_job_is_not_rebuilt_when_the_task_runs_again(merger, program, monkeypatch):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="csv")
    export_run(job_id=job.pk)
    monkeypatch.setitem(RENDERERS, "csv", lambda report: pytest.fail("rebuilt"))

    assert export_run(job_id=job.pk).status == ExportJob.Status.SUCCEEDED


def test_failed_job_is_built_again_when_the_task_runs_again(merger, program, monkeypatch):
    job = ExportJob.objects.create(merger=merger, month=MONTH, format="csv")
    monkeypatch.setitem(RENDERERS, "csv", lambda report: 1 / 0)
    export_run(job_id=job.pk)
    monkeypatch.undo()

    job = export_run(job_id=job.pk)
    assert (job.status, job.message) == (ExportJob.Status.SUCCEEDED, "")


@pytest.mark.parametrize("persona", ["rep_user", "outsider_user"])
def test_only_leaders_executives_and_ops_of_the_program_may_export(request, merger, persona):
    with pytest.raises(PermissionDenied):
        export_request(
            actor=request.getfixturevalue(persona), merger=merger, month=MONTH, fmt="pdf"
        )
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("month", "fmt", "field"),
    [
        (date(2025, 12, 1), "pdf", "month"),
        (date(2099, 1, 1), "pdf", "month"),
        (MONTH, "docx", "format"),
    ],
)
def test_export_request_refuses_months_outside_the_program_and_unknown_formats(
    merger, ops_user, month, fmt, field
):
    with pytest.raises(ValidationError) as error:
        export_request(actor=ops_user, merger=merger, month=month, fmt=fmt)
    assert field in error.value.message_dict


# The monthly board pack


def test_monthly_pack_goes_to_the_programs_executives_once(
    merger, program, executive_user, leader_user, outsider_user
):
    other_executive = factories.UserFactory(username="other_exec", role=Role.EXECUTIVE)
    factories.MembershipFactory(merger=outsider_user.mergers.get(), user=other_executive)

    assert monthly_exports_send(merger_id=merger.pk, month=MONTH) == 1
    assert monthly_exports_send(merger_id=merger.pk, month=MONTH) == 0

    [message] = mail.outbox
    assert message.to == [executive_user.email]
    assert "Sensa + Predikt" in message.subject and "May 2026" in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert names == [
        "sensa-predikt-scorecard-2026-05.xlsx",
        "sensa-predikt-scorecard-2026-05.pdf",
    ]
    assert message.attachments[1][1].startswith(b"%PDF")
    jobs = ExportJob.objects.filter(report=MONTHLY_EMAIL, month=MONTH)
    assert sorted(jobs.values_list("format", flat=True)) == ["pdf", "xlsx"]
    assert {job.status for job in jobs} == {ExportJob.Status.SUCCEEDED}


def test_failed_mail_leaves_no_record_so_the_next_run_sends_it(
    merger, program, executive_user, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        monthly_exports_send(merger_id=merger.pk, month=MONTH)
    assert not ExportJob.objects.filter(report=MONTHLY_EMAIL).exists()

    monkeypatch.undo()
    assert monthly_exports_send(merger_id=merger.pk, month=MONTH) == 1


def test_program_without_executives_sends_nothing(merger, program, leader_user):
    assert monthly_exports_send(merger_id=merger.pk, month=MONTH) == 0
    assert mail.outbox == []


def test_beat_task_sends_last_months_pack_of_every_running_program(merger, executive_user):
    later = factories.MergerFactory(name="Not started", day_one=date(2099, 1, 1))
    factories.MembershipFactory(merger=later, user=executive_user)

    assert send_monthly_exports() == 1
    [message] = mail.outbox
    assert previous_month().strftime("%Y-%m") in message.attachments[0][0]


def test_an_export_speaks_the_language_of_whoever_asked_for_it(
    merger, program, executive_user, django_capture_on_commit_callbacks
):
    with translation.override("ru"):
        job = _requested(executive_user, merger, "xlsx", django_capture_on_commit_callbacks)
        six_cs = gettext("Six Cs by segment")

    assert job.language == "ru"
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    assert six_cs != "Six Cs by segment" and six_cs[:31] in workbook.sheetnames


def test_each_executive_gets_the_monthly_pack_in_their_own_language(
    merger, program, executive_user
):
    italian = factories.UserFactory(username="exec_it", role=Role.EXECUTIVE)
    factories.MembershipFactory(merger=merger, user=italian)
    user_language_set(user=italian, language="it")

    assert monthly_exports_send(merger_id=merger.pk, month=MONTH) == 2

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    english, in_italian = by_recipient[(executive_user.email,)], by_recipient[(italian.email,)]
    assert "May 2026" in english.subject
    assert "maggio 2026" in in_italian.subject.lower()
    languages = ExportJob.objects.filter(report=MONTHLY_EMAIL).values_list("language", flat=True)
    assert sorted(languages) == ["en", "en", "it", "it"]
