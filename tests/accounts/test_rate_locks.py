"""A rate correction holds the program's companies and the records it converts until it
commits; what winning a deal writes meanwhile (an account, a holding) is not held up."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from accounts.models import Holding, Product, SourceAccount
from accounts.services.currency import _rows, program_companies_lock
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
MONTH = dt.date(2026, 3, 1)


def test_a_deal_won_during_a_rate_correction_writes_at_once():
    merger = factories.MergerFactory()
    company = factories.CompanyFactory(merger=merger)
    product = factories.ProductFactory(
        company=company, currency="EUR", list_price_original=Decimal("100"), rate_month=MONTH
    )
    locked, release = threading.Event(), threading.Event()

    def correcting() -> None:
        try:
            with transaction.atomic():
                # The locks the conversion takes, held as long as it runs.
                program_companies_lock(merger_id=merger.pk)
                list(_rows(Product, merger.pk, None, currency="EUR", rate_month=MONTH))
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    correction = threading.Thread(target=correcting)
    correction.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic(), connection.cursor() as cursor:
            # Refused after two seconds rather than waiting for the correction's commit.
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            account = SourceAccount.objects.create(company=company, crm_id="W1", name="Won")
            Holding.objects.create(account=account, product=product)
    finally:
        release.set()
        correction.join()
    assert Holding.objects.filter(product=product).count() == 1
