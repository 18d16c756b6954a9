"""Timing of a large import: accounts, products and a 100,000-row install base.

`import_bench` creates a throw-away program, imports generated files into it
and deletes it. `file_import_prepare` and `file_import_run` take one file
through the import service, for the other benchmarks that import.
"""

import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from django.core.files import File

from accounts.imports.columns import ACCOUNTS, INSTALL_BASE, PRODUCTS
from accounts.models import ImportJob, LegacyCompany, Merger
from accounts.services.imports import import_job_create, import_preview, import_run

NAMES = ("Müller", "Café Crème", "ООО Ромашка", "华为技术", "Nordic Wind", "Acme", "Łódź Tech")
COUNTRIES = ("Germany", "FR", "US", "Russia", "China", "PL", "GB")
ACCOUNT_COLUMNS = "Id Name Website BillingCity BillingCountry Industry NumberOfEmployees Type"


def write_bench_files(
    *, directory: Path, holdings: int = 100_000, per_account: int = 5, products: int = 60
) -> dict[str, Path]:
    """Salesforce Data Loader-style exports: accounts, products and assets."""
    rng = random.Random(1)
    accounts = -(-holdings // per_account)
    paths = {
        ACCOUNTS: directory / "accounts.csv",
        PRODUCTS: directory / "products.csv",
        INSTALL_BASE: directory / "assets.csv",
    }
    with paths[ACCOUNTS].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(ACCOUNT_COLUMNS.split())
        for n in range(accounts):
            writer.writerow(
                [
                    f"ACC{n:08d}",
                    f"{rng.choice(NAMES)} {n}",
                    f"www.company{n}.com",
                    "Berlin",
                    rng.choice(COUNTRIES),
                    "Manufacturing",
                    f"{rng.randint(5, 90000):,}",
                    rng.choice(("Customer", "Prospect")),
                ]
            )
    with paths[PRODUCTS].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ProductCode", "Name", "Family", "UnitPrice", "IsActive"])
        for n in range(products):
            writer.writerow(
                [
                    f"PRD-{n:04d}",
                    f"Product {n}",
                    f"Family {n % 6}",
                    f"{rng.randint(100, 90000)}.00",
                    "true",
                ]
            )
    start = dt.date(2015, 1, 1)
    with paths[INSTALL_BASE].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Id", "AccountId", "ProductCode", "Price", "InstallDate"])
        row = 0
        for n in range(accounts):
            for code in rng.sample(range(products), per_account):
                if row == holdings:
                    break
                since = start + dt.timedelta(days=rng.randint(0, 3650))
                writer.writerow(
                    [
                        f"02i{row:012d}",
                        f"ACC{n:08d}",
                        f"PRD-{code:04d}",
                        f"{rng.randint(100, 250000):,}.{rng.randint(0, 99):02d}",
                        since.isoformat(),
                    ]
                )
                row += 1
    return paths


def import_bench(
    *, holdings: int = 100_000, keep: bool = False, cpu: dict[str, float] | None = None
) -> dict[str, float]:
    """Seconds each `import_run` took end to end: checking every row, writing, and the
    refresh it queues (run in this process when there is no task queue); the last run
    re-imports the install base with every revenue changed. `cpu` receives this
    process's CPU seconds of each."""
    merger = Merger.objects.create(
        name=f"Import benchmark {time.time_ns()}", day_one=dt.date.today()
    )
    company = LegacyCompany.objects.create(
        merger=merger, name="Benchmark", short_name="B", role=LegacyCompany.Role.ACQUIRER
    )
    seconds: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory() as directory:
            paths = write_bench_files(directory=Path(directory), holdings=holdings)
            runs = [(kind, kind, paths[kind]) for kind in (ACCOUNTS, PRODUCTS, INSTALL_BASE)]
            runs.append(("install_base_reimport", INSTALL_BASE, _raised(paths[INSTALL_BASE])))
            for label, kind, path in runs:
                job = file_import_prepare(merger=merger, company=company, kind=kind, path=path)
                started, cpu_started = time.perf_counter(), time.process_time()
                file_import_run(job=job)
                seconds[label] = round(time.perf_counter() - started, 2)
                if cpu is not None:
                    cpu[label] = round(time.process_time() - cpu_started, 2)
    finally:
        if not keep:
            program_discard(merger=merger)
    return seconds


def file_import_prepare(
    *, merger: Merger, company: LegacyCompany, kind: str, path: Path
) -> ImportJob:
    """An import job for the file at `path`, previewed and ready to run."""
    with path.open("rb") as handle:
        job = import_job_create(
            merger=merger,
            company=company,
            kind=kind,
            uploaded_file=File(handle, name=path.name),
            actor=None,
        )
    import_preview(job=job)
    return job


def file_import_run(*, job: ImportJob) -> ImportJob:
    """Runs the job end to end; a benchmark of a failed import would measure nothing."""
    job = import_run(job_id=job.pk)
    if job.status != ImportJob.Status.SUCCEEDED:
        raise RuntimeError(f"{job.file.name} import failed: {job.message}")
    return job


def program_discard(*, merger: Merger) -> None:
    """Deletes a throw-away program with the files its imports stored."""
    for job in merger.imports.all():
        job.file.delete(save=False)
    merger.delete()


def _raised(path: Path) -> Path:
    """The same export a year later: every price changed, so every holding is updated."""
    raised = path.with_name("assets_updated.csv")
    with path.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    for row in rows[1:]:
        row[3] = row[3][:-1] + str((int(row[3][-1]) + 1) % 10)
    with raised.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return raised
