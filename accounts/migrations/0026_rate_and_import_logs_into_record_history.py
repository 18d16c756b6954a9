"""The exchange rates' and the imports' own change logs move into the one history.

A rate's change becomes a change of that rate (rates are corrected, never
deleted). An import's changed fields become one change per record it changed,
linked to the job, found by the CRM id, product code or "account / product"
pair the log named; a record no longer there keeps its changes on the job.
"""

from collections.abc import Iterable, Iterator

from django.db import migrations

BATCH = 2000
RECORD_MODELS = {
    "accounts": "sourceaccount",
    "products": "product",
    "install_base": "holding",
}


def rate_change(row: dict, *, rate_id: int | None, merger_id: int, people: dict) -> dict:
    """The RecordChange values of one rate change; a rate gone keeps it on its program. Pure."""
    old, new = row["old_rate"], row["new_rate"]
    changes = {"rate": [None if old is None else str(old), None if new is None else str(new)]}
    if old is None:
        month = row["month"].isoformat()
        changes = {"currency": [None, row["currency"]], "month": [None, month], **changes}
    return {
        "merger_id": merger_id,
        "object_id": rate_id or merger_id,
        "object_repr": f"{row['currency']} {row['month']:%Y-%m}: {new}"[:200],
        "action": "created" if old is None else "changed",
        "changes": changes,
        "actor_id": row["changed_by_id"],
        "actor_name": people.get(row["changed_by_id"], ""),
        "via": "",
        "at": row["changed_at"],
    }


def import_change(group: list[dict], *, job: dict, record_id: int | None, people: dict) -> dict:
    """The RecordChange values of the fields one job changed on one record. Pure."""
    first = group[0]
    return {
        "merger_id": job["merger_id"],
        "object_id": record_id or job["id"],
        "object_repr": first["record"][:200],
        "action": "changed",
        "changes": {row["field"]: [row["old_value"], row["new_value"]] for row in group},
        "actor_id": job["created_by_id"],
        "actor_name": people.get(job["created_by_id"], ""),
        "via": "import",
        "at": job["finished_at"] or job["created_at"],
        "import_job_id": job["id"],
    }


def by_record(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """Consecutive rows of one job and one record. Pure."""
    group: list[dict] = []
    for row in rows:
        if group and (row["job_id"], row["record"]) != (group[0]["job_id"], group[0]["record"]):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def people_names(apps) -> dict[int, str]:
    User = apps.get_model("auth", "User")
    return {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.values_list(
            "pk", "first_name", "last_name", "username"
        )
    }


def _content_type(apps, model: str) -> int:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="accounts", model=model)[0].pk


def _write(apps, changes: Iterable[dict]) -> None:
    RecordChange = apps.get_model("accounts", "RecordChange")
    batch = []
    for values in changes:
        batch.append(RecordChange(**values))
        if len(batch) >= BATCH:
            RecordChange.objects.bulk_create(batch)
            batch = []
    RecordChange.objects.bulk_create(batch)


def rates_forwards(apps, schema_editor) -> None:
    ExchangeRate = apps.get_model("accounts", "ExchangeRate")
    ExchangeRateChange = apps.get_model("accounts", "ExchangeRateChange")
    people = people_names(apps)
    rates = {
        (merger_id, currency, month): pk
        for pk, merger_id, currency, month in ExchangeRate.objects.values_list(
            "pk", "merger_id", "currency", "month"
        )
    }
    rate_type, program_type = _content_type(apps, "exchangerate"), _content_type(apps, "merger")
    rows = ExchangeRateChange.objects.order_by("id").values(
        "merger_id", "currency", "month", "old_rate", "new_rate", "changed_by_id", "changed_at"
    )

    def changes() -> Iterator[dict]:
        for row in rows.iterator(chunk_size=BATCH):
            rate_id = rates.get((row["merger_id"], row["currency"], row["month"]))
            values = rate_change(row, rate_id=rate_id, merger_id=row["merger_id"], people=people)
            yield {**values, "content_type_id": rate_type if rate_id else program_type}

    _write(apps, changes())


def _record_ids(apps, job: dict) -> dict[str, int]:
    """The job's company's records by the name the log gave them."""
    company = job["company_id"]
    if job["kind"] == "accounts":
        SourceAccount = apps.get_model("accounts", "SourceAccount")
        return dict(SourceAccount.objects.filter(company_id=company).values_list("crm_id", "pk"))
    if job["kind"] == "products":
        Product = apps.get_model("accounts", "Product")
        return dict(Product.objects.filter(company_id=company).values_list("code", "pk"))
    Holding = apps.get_model("accounts", "Holding")
    rows = Holding.objects.filter(account__company_id=company).values_list(
        "pk", "account__crm_id", "product__code"
    )
    return {f"{crm_id} / {code}": pk for pk, crm_id, code in rows}


def imports_forwards(apps, schema_editor) -> None:
    ImportJob = apps.get_model("accounts", "ImportJob")
    ImportChange = apps.get_model("accounts", "ImportChange")
    people = people_names(apps)
    job_type = _content_type(apps, "importjob")
    types = {kind: _content_type(apps, model) for kind, model in RECORD_MODELS.items()}
    jobs = ImportJob.objects.filter(pk__in=ImportChange.objects.values("job_id")).values(
        "id", "merger_id", "company_id", "kind", "created_by_id", "created_at", "finished_at"
    )
    for job in jobs:
        records = _record_ids(apps, job)
        rows = (
            ImportChange.objects.filter(job_id=job["id"])
            .order_by("record", "id")
            .values("job_id", "record", "field", "old_value", "new_value")
        )

        def changes(job=job, records=records, rows=rows) -> Iterator[dict]:
            for group in by_record(rows.iterator(chunk_size=BATCH)):
                record_id = records.get(group[0]["record"])
                values = import_change(group, job=job, record_id=record_id, people=people)
                kind = types.get(job["kind"]) if record_id else job_type
                yield {**values, "content_type_id": kind or job_type}

        _write(apps, changes())


def forwards(apps, schema_editor) -> None:
    rates_forwards(apps, schema_editor)
    imports_forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0025_record_change_import_job_and_kind_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
