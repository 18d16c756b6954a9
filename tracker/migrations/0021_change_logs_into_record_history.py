"""The deals', quotas' and targets' own change logs move into the one history (RecordChange).

Rows one write left together (same record, same moment, same person) become one
change with all their fields, as the services now write them; a field met twice
in such a group starts another change, so that no value is lost. The month
replay reads the same fields with the same old values at the same moments, so
closed months replay exactly as before.

A target removed before this migration left no row to point at: its changes
keep object id 0 and are named by their month and scope, as the targets page
lists them.
"""

from collections.abc import Callable, Iterable, Iterator

from django.db import migrations

BATCH = 2000
DEAL_LOG_FIELDS = (
    "id",
    "opportunity_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "changed_by_id",
    "changed_at",
    "via",
)
SOURCE_VIA = {"grid": "page", "import": "import", "api": "api"}


def grouped(rows: Iterable[dict], key: Callable[[dict], tuple]) -> Iterator[list[dict]]:
    """Consecutive rows with the same key, a group ending where a field repeats. Pure."""
    group: list[dict] = []
    for row in rows:
        if group and (key(row) != key(group[0]) or _repeats(group, row)):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _repeats(group: list[dict], row: dict) -> bool:
    return bool(row["field"]) and any(other["field"] == row["field"] for other in group)


def field_changes(group: list[dict]) -> dict[str, list]:
    """{field: [from, to]} of a group of per-field rows; a row without a field adds none."""
    return {row["field"]: [row["old_value"], row["new_value"]] for row in group if row["field"]}


def deal_key(row: dict) -> tuple:
    # A creation and a risk override stay changes of their own, as the service writes them.
    kind = row["action"] if row["action"] in ("created", "overridden") else "write"
    return (row["opportunity_id"], row["changed_at"], row["changed_by_id"], row["via"], kind)


def deal_change(group: list[dict], *, merger_id, name: str, people: dict) -> dict:
    """The RecordChange values of one group of a deal's old rows. Pure."""
    first = group[0]
    actions = {row["action"] for row in group}
    action = "reopened" if "reopened" in actions else first["action"]
    return {
        "merger_id": merger_id,
        "object_id": first["opportunity_id"],
        "object_repr": name[:200],
        "action": action,
        "changes": field_changes(group),
        "actor_id": first["changed_by_id"],
        "actor_name": people.get(first["changed_by_id"], ""),
        "via": first["via"],
        "at": first["changed_at"],
    }


def quota_change(
    group: list[dict], *, merger_id, name: str, people: dict, first_write: bool
) -> dict:
    """The RecordChange values of one write of a quota. Pure."""
    first = group[0]
    return {
        "merger_id": merger_id,
        "object_id": first["quota_id"],
        "object_repr": name[:200],
        "action": "created" if first_write else "changed",
        "changes": field_changes(group),
        "actor_id": first["changed_by_id"],
        "actor_name": people.get(first["changed_by_id"], ""),
        "via": first["via"],
        "at": first["changed_at"],
    }


def target_change(group: list[dict], *, target_id: int | None, people: dict) -> dict:
    """The RecordChange values of one write of one target's figures. Pure."""
    first = group[0]
    created = all(row["old_value"] == "" for row in group)
    via = "import" if first["source"] == "import" else first["via"]
    return {
        "merger_id": first["merger_id"],
        "object_id": target_id or 0,
        "object_repr": f"{first['month']:%Y-%m} {first['scope_label']}"[:200],
        "action": "created" if created else "changed",
        "changes": field_changes(group),
        "actor_id": first["changed_by_id"],
        "actor_name": people.get(first["changed_by_id"], ""),
        "via": via or SOURCE_VIA.get(first["source"], ""),
        "at": first["changed_at"],
    }


def people_names(apps) -> dict[int, str]:
    User = apps.get_model("auth", "User")
    return {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.values_list(
            "pk", "first_name", "last_name", "username"
        )
    }


def _content_type(apps, app_label: str, model: str) -> int:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0].pk


def _write(apps, content_type_id: int, changes: Iterable[dict]) -> None:
    RecordChange = apps.get_model("accounts", "RecordChange")
    batch = []
    for values in changes:
        batch.append(RecordChange(content_type_id=content_type_id, **values))
        if len(batch) >= BATCH:
            RecordChange.objects.bulk_create(batch)
            batch = []
    RecordChange.objects.bulk_create(batch)


def deals_forwards(apps, schema_editor) -> None:
    Opportunity = apps.get_model("tracker", "Opportunity")
    OpportunityChange = apps.get_model("tracker", "OpportunityChange")
    RecordChange = apps.get_model("accounts", "RecordChange")
    deal_type = _content_type(apps, "tracker", "opportunity")
    deals = {
        pk: (merger_id, f"{product} for {account}")
        for pk, merger_id, product, account in Opportunity.objects.values_list(
            "pk", "merger_id", "product__name", "account__name"
        ).iterator(chunk_size=BATCH)
    }
    # A deleted deal's program and name are in the change that recorded its deletion.
    deleted = RecordChange.objects.filter(content_type_id=deal_type, action="deleted")
    for object_id, merger_id, name in deleted.values_list("object_id", "merger_id", "object_repr"):
        deals.setdefault(object_id, (merger_id, name))
    people = people_names(apps)
    rows = (
        OpportunityChange.objects.order_by("opportunity_id", "changed_at", "id")
        .values(*DEAL_LOG_FIELDS)
        .iterator(chunk_size=BATCH)
    )

    def changes() -> Iterator[dict]:
        for group in grouped(rows, deal_key):
            merger_id, name = deals.get(group[0]["opportunity_id"], (None, ""))
            name = name or f"#{group[0]['opportunity_id']}"
            yield deal_change(group, merger_id=merger_id, name=name, people=people)

    _write(apps, deal_type, changes())


def quotas_forwards(apps, schema_editor) -> None:
    Quota = apps.get_model("tracker", "Quota")
    QuotaChange = apps.get_model("tracker", "QuotaChange")
    people = people_names(apps)
    quotas = {
        pk: (merger_id, f"{people.get(user_id, '')} {start:%Y-%m}")
        for pk, merger_id, user_id, start in Quota.objects.values_list(
            "pk", "rep__merger_id", "rep__user_id", "period_start"
        )
    }
    rows = (
        QuotaChange.objects.order_by("quota_id", "changed_at", "id")
        .values(
            "quota_id", "field", "old_value", "new_value", "changed_by_id", "changed_at", "via"
        )
        .iterator(chunk_size=BATCH)
    )

    def changes() -> Iterator[dict]:
        seen: set[int] = set()
        for group in grouped(rows, lambda row: (row["quota_id"], row["changed_at"])):
            quota_id = group[0]["quota_id"]
            merger_id, name = quotas[quota_id]
            first_write = quota_id not in seen
            seen.add(quota_id)
            yield quota_change(
                group, merger_id=merger_id, name=name, people=people, first_write=first_write
            )

    _write(apps, _content_type(apps, "tracker", "quota"), changes())


def targets_forwards(apps, schema_editor) -> None:
    SynergyTarget = apps.get_model("tracker", "SynergyTarget")
    SynergyTargetChange = apps.get_model("tracker", "SynergyTargetChange")
    people = people_names(apps)
    targets = {
        (merger_id, month, segment_id): pk
        for pk, merger_id, month, segment_id in SynergyTarget.objects.values_list(
            "pk", "merger_id", "month", "segment_id"
        )
    }
    rows = SynergyTargetChange.objects.order_by(
        "merger_id", "month", "segment_id", "changed_at", "id"
    ).values(
        "merger_id",
        "month",
        "segment_id",
        "scope_label",
        "field",
        "old_value",
        "new_value",
        "source",
        "changed_by_id",
        "changed_at",
        "via",
    )

    def scope(row: dict) -> tuple:
        return (row["merger_id"], row["month"], row["segment_id"])

    def changes() -> Iterator[dict]:
        writes = grouped(rows.iterator(chunk_size=BATCH), lambda r: (scope(r), r["changed_at"]))
        for group in writes:
            target_id = targets.get(scope(group[0]))
            yield target_change(group, target_id=target_id, people=people)

    _write(apps, _content_type(apps, "tracker", "synergytarget"), changes())


def forwards(apps, schema_editor) -> None:
    deals_forwards(apps, schema_editor)
    quotas_forwards(apps, schema_editor)
    targets_forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0020_fill_money_currencies"),
        ("accounts", "0025_record_change_import_job_and_kind_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
