"""Writes of an import: upserts keyed by the CRM's own id; changed fields go to the history.

Called by accounts.services.imports inside its one transaction, after every
row has been checked; rows arrive cleaned, references already known to exist.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from accounts.history.via import IMPORT, history_via
from accounts.imports import columns as cols
from accounts.imports.parsing import crm_key
from accounts.models import (
    Holding,
    ImportJob,
    Product,
    ProductFamily,
    RecordChange,
    Segment,
    SourceAccount,
)
from accounts.services.bulk_rows import rows_insert, rows_update
from accounts.services.history import history_entries_write, history_entry


def account_ids(company_id: int) -> dict[str, int]:
    """Source account ids by CRM id key (15 and 18-character Salesforce ids agree)."""
    rows = SourceAccount.objects.filter(company_id=company_id).values_list("crm_id", "id")
    return {crm_key(crm_id): pk for crm_id, pk in rows}


def product_ids(company_id: int) -> dict[str, int]:
    return dict(Product.objects.filter(company_id=company_id).values_list("code", "id"))


ACCOUNT_ATTRIBUTES = {
    "name": "name",
    "website": "website",
    "duns": "duns",
    "vat": "vat",
    "lei": "lei",
    "country": "country",
    "city": "city",
    "industry": "industry",
    "employees": "employees",
    "is_customer": "is_customer",
    "relationship_owner": "relationship_owner",
    "relationship_since": "relationship_since",
    "decision_maker_known": "decision_maker_known",
    "revenue_current": "revenue_current",
    "revenue_prior": "revenue_prior",
    "support_tickets_12m": "support_tickets_12m",
    "support_tickets_prior_12m": "support_tickets_prior_12m",
    "credits_returns_12m": "credits_returns_12m",
    "average_discount_pct": "average_discount_pct",
    "segment": "segment_id",
    # Written with the amounts (accounts.imports.cleaning.RowCleaner._convert).
    "currency": "currency",
    "revenue_current_original": "revenue_current_original",
    "revenue_prior_original": "revenue_prior_original",
    "credits_returns_12m_original": "credits_returns_12m_original",
    "awaiting_rate": "awaiting_rate",
    "rate_month": "rate_month",
}
PRODUCT_ATTRIBUTES = {
    "name": "name",
    "family": "family_id",
    "list_price": "list_price",
    "typical_deal_size": "typical_deal_size",
    "sales_cycle": "sales_cycle",
    "typical_cycle_days": "typical_cycle_days",
    "is_active": "is_active",
    "currency": "currency",
    "list_price_original": "list_price_original",
    "typical_deal_size_original": "typical_deal_size_original",
    "awaiting_rate": "awaiting_rate",
    "rate_month": "rate_month",
}
HOLDING_ATTRIBUTES = {
    "annual_revenue": "annual_revenue",
    "since": "since",
    "crm_id": "crm_id",
    "currency": "currency",
    "annual_revenue_original": "annual_revenue_original",
    "awaiting_rate": "awaiting_rate",
    "rate_month": "rate_month",
}


@dataclass
class _Upsert:
    """New objects, changed objects and the fields that changed, for one model."""

    job: ImportJob
    model: type
    attributes: list[str]
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    # Names to record instead of ids, e.g. {"segment_id": {3: "Utilities"}}.
    labels: dict[str, dict[int, str]] = field(default_factory=dict)

    def compare(self, record: str, pk: int, old: dict[str, Any], new: dict[str, Any]) -> None:
        differing = [name for name in self.attributes if old[name] != new[name]]
        if not differing:
            self.unchanged += 1
            return
        self.changed.append((pk, new))
        # An amount as entered that moved with its reporting amount is one change, not two.
        differing = [
            name
            for name in differing
            if not (name.endswith("_original") and name.removesuffix("_original") in differing)
        ]
        fields = {
            name.removesuffix("_id"): [
                self._display(name, old[name]),
                self._display(name, new[name]),
            ]
            for name in differing
        }
        self.changes.append({"pk": pk, "record": record, "changes": fields})

    def _display(self, name: str, value: Any) -> str:
        value = self.labels.get(name, {}).get(value, value)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def save(self) -> tuple[int, int, int]:
        rows_insert(model=self.model, rows=self.new)
        names = list(self.attributes)
        if any(f.attname == "updated_at" for f in self.model._meta.concrete_fields):
            now = timezone.now()
            names.append("updated_at")
            for _pk, values in self.changed:
                values["updated_at"] = now
        rows_update(model=self.model, names=names, rows=self.changed)
        history_entries_write(self._history())
        return len(self.new), len(self.changed), self.unchanged

    def _history(self) -> list[RecordChange]:
        """Each changed record's fields in its history, through the import that changed them."""
        actor = self.job.created_by
        with history_via(IMPORT):
            return [
                history_entry(
                    model=self.model,
                    object_id=change["pk"],
                    object_repr=change["record"],
                    merger_id=self.job.merger_id,
                    action=RecordChange.Action.CHANGED,
                    changes=change["changes"],
                    actor=actor,
                    import_job_id=self.job.pk,
                )
                for change in self.changes
            ]


def _attributes(rows: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """Only columns the file maps are written; the rest of a record stays as it is."""
    mapped = rows[0].keys() if rows else ()
    return [attribute for key, attribute in names.items() if key in mapped]


def _write_accounts(job: ImportJob, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    from accounts.matching.normalize import normalize_domain, normalize_name

    segments = dict(Segment.objects.filter(merger_id=job.merger_id).values_list("name", "id"))
    attributes = _attributes(rows, ACCOUNT_ATTRIBUTES)
    derived = ["normalized_name"] if "name" in attributes else []
    derived += ["domain"] if "website" in attributes else []
    upsert = _Upsert(job, SourceAccount, [*attributes, *derived])
    upsert.labels["segment_id"] = {pk: name for name, pk in segments.items()}
    existing = {
        crm_key(values["crm_id"]): values
        for values in SourceAccount.objects.filter(company_id=job.company_id).values(
            "id", "crm_id", *upsert.attributes
        )
    }
    for row in rows:
        new = {ACCOUNT_ATTRIBUTES[key]: value for key, value in row.items() if key != "crm_id"}
        if "segment_id" in new:
            new["segment_id"] = segments[new["segment_id"]] if new["segment_id"] else None
        if derived:
            new |= _derived_account_fields(new, normalize_name, normalize_domain)
        old = existing.get(crm_key(row["crm_id"]))
        if old is None:
            upsert.new.append({"company_id": job.company_id, "crm_id": row["crm_id"], **new})
        else:
            upsert.compare(old["crm_id"], old["id"], old, new)
    return upsert.save()


def _derived_account_fields(new: dict[str, Any], normalize_name, normalize_domain) -> dict:
    derived = {}
    if "name" in new:
        derived["normalized_name"] = normalize_name(new["name"])[:255]
    if "website" in new:
        # The matching run's rule too: a free-mail or hosting domain says nothing.
        derived["domain"] = normalize_domain(new["website"])[:255]
    return derived


def _write_products(job: ImportJob, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    attributes = _attributes(rows, PRODUCT_ATTRIBUTES)
    families, family_names = _families(
        job.company_id, {row["family"] for row in rows if row.get("family")}
    )
    upsert = _Upsert(job, Product, attributes)
    upsert.labels["family_id"] = family_names
    existing = {
        values["code"]: values
        for values in Product.objects.filter(company_id=job.company_id).values(
            "id", "code", *attributes
        )
    }
    for row in rows:
        new = {PRODUCT_ATTRIBUTES[key]: value for key, value in row.items() if key != "code"}
        if "family_id" in new:
            new["family_id"] = (
                families.get(new["family_id"].casefold()) if new["family_id"] else None
            )
        old = existing.get(row["code"])
        if old is None:
            upsert.new.append({"company_id": job.company_id, "code": row["code"], **new})
        else:
            upsert.compare(row["code"], old["id"], old, new)
    return upsert.save()


def _families(company_id: int, names: set[str]) -> tuple[dict[str, int], dict[int, str]]:
    """Family ids by case-folded name, and names by id; families the export names but the
    company lacks are created."""
    families = dict(ProductFamily.objects.filter(company_id=company_id).values_list("id", "name"))
    known = {name.casefold() for name in families.values()}
    missing = {name.casefold(): name for name in names if name.casefold() not in known}
    created = ProductFamily.objects.bulk_create(
        [ProductFamily(company_id=company_id, name=name) for name in missing.values()]
    )
    families.update({family.pk: family.name for family in created})
    return {name.casefold(): pk for pk, name in families.items()}, families


def _write_install_base(job: ImportJob, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    accounts, products = account_ids(job.company_id), product_ids(job.company_id)
    crm_ids = dict(
        SourceAccount.objects.filter(company_id=job.company_id).values_list("id", "crm_id")
    )
    codes = {pk: code for code, pk in products.items()}
    # A holding the program wrote for a won deal becomes the CRM's once the CRM reports it.
    attributes = [*_attributes(rows, HOLDING_ATTRIBUTES), "origin"]
    upsert = _Upsert(job, Holding, attributes)
    existing = {
        (values["account_id"], values["product_id"]): values
        for values in Holding.objects.filter(account__company_id=job.company_id).values(
            "id", "account_id", "product_id", *attributes
        )
    }
    for (account_id, product_id), new in _combined_holdings(rows, accounts, products).items():
        new["origin"] = Holding.Origin.CRM
        old = existing.get((account_id, product_id))
        keys = {"account_id": account_id, "product_id": product_id}
        if old is None:
            upsert.new.append({**keys, **new})
        else:
            record = f"{crm_ids[account_id]} / {codes[product_id]}"
            upsert.compare(record, old["id"], old, new)
    return upsert.save()


def _combined_holdings(
    rows: list[dict[str, Any]], accounts: dict[str, int], products: dict[str, int]
) -> dict[tuple[int, int], dict[str, Any]]:
    """One holding per account and product: line-item exports list a product once per sale,
    so revenues add up and the earliest date counts."""
    holdings: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        key = (accounts[crm_key(row["account_crm_id"])], products[row["product_code"]])
        new = {
            HOLDING_ATTRIBUTES[name]: value
            for name, value in row.items()
            if name in HOLDING_ATTRIBUTES
        }
        held = holdings.get(key)
        if held is None:
            holdings[key] = new
            continue
        if "annual_revenue" in new:
            held["annual_revenue"] += new["annual_revenue"]
        if new.get("since") and (held["since"] is None or new["since"] < held["since"]):
            held["since"] = new["since"]
        if "crm_id" in new and not held["crm_id"]:
            held["crm_id"] = new["crm_id"]
    return holdings


WRITERS: dict[str, Callable[[ImportJob, list[dict[str, Any]]], tuple[int, int, int]]] = {
    cols.ACCOUNTS: _write_accounts,
    cols.PRODUCTS: _write_products,
    cols.INSTALL_BASE: _write_install_base,
}

# The tables each kind of import writes most of, whose statistics it refreshes.
ANALYZED: dict[str, list[type[Model]]] = {
    cols.ACCOUNTS: [SourceAccount, RecordChange],
    cols.PRODUCTS: [Product, RecordChange],
    cols.INSTALL_BASE: [Holding, RecordChange],
}
