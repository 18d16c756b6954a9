"""Rebuilds the real-name evaluation sets from their public sources.

Run from anywhere with the three sources on disk (see README.md):

    python build.py --sp500-repo PATH/s-and-p-500-companies \\
        --sec-tickers PATH/company_tickers.json --nyse-listed PATH/nyse-listed.csv \\
        --nasdaq-listed PATH/nasdaq-listed.csv

Nothing here is generated or perturbed: each CRM export holds the names the
list's keeper wrote, one record per company, and the truth is the identifier
both keepers give the company (the SEC's CIK; the ticker for the NYSE and
NASDAQ lists, turned into a CIK by the SEC's own ticker file).
"""

import argparse
import csv
import io
import json
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The S&P 500 list versions used: every one from the first with the current
# columns (CIK included) to the one closest after the SEC file's retrieval.
SP500_FIRST = "2023-04-13"
SP500_LAST = "2026-03-25"
# Left the index and the SEC's ticker file, but not as a company of its own:
# an old CIK of a company listed again under a new one (BlackRock), a CIK typed
# wrong for some weeks (A. O. Smith, twice) and a predecessor re-domiciled under a new
# CIK (Bunge Limited, now Bunge Global SA). Kept, they would be a second record
# of a company the same CRM already holds, labelled as a stranger.
IDENTIFIER_HISTORY = {1364742, 1391407, 4343243243432434, 1144519}
# What the NYSE list appends to the issuer's name: the security it describes.
SECURITY = re.compile(
    r"\s*,?\s*(?:Class [A-Z] )?(?:Common Stock|Common Shares|Ordinary Shares|"
    r"American Depositary Shares|Common Units|Common Shares of Beneficial Interest|"
    r"Shares of Beneficial Interest)\b.*$"
)

# What the NASDAQ list writes after " - ": the security. Issuers of common
# equity only (no warrants, units, rights, funds or preferred shares).
NASDAQ_EQUITY = re.compile(
    r"(?:(?:Class|Series) [A-Z] )?(?:Common Stock|Common Shares?|Ordinary Shares?|"
    r"American Deposit[ao]ry Shares?|ADS|Depositary Shares|Common Units|"
    r"Shares of Beneficial Interest|Common Subordinate Voting Shares)\b",
    re.IGNORECASE,
)


def _git_show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{commit}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def sp500_companies(repo: Path) -> list[dict]:
    """One row per CIK over the list's versions, the newest version's row first."""
    log = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "log",
            "--format=%H %ad",
            "--date=short",
            "--",
            "data/constituents.csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    seen: dict[int, dict] = {}
    for line in filter(None, log):  # newest first
        commit, day = line.split()
        if not SP500_FIRST <= day <= SP500_LAST:
            continue
        text = _git_show(repo, commit, "data/constituents.csv")
        for row in csv.DictReader(io.StringIO(text)):
            # One version names the column "Company".
            row["Security"] = row.get("Security") or row.get("Company", "")
            seen.setdefault(int(row["CIK"]), row)
    return sorted(seen.values(), key=lambda row: (row["Security"].casefold(), row["Symbol"]))


def sec_companies(path: Path) -> tuple[list[dict], dict[str, int]]:
    """One row per CIK in the file's order (the SEC sorts by market value), and tickers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows: dict[int, dict] = {}
    tickers: dict[str, int] = {}
    for entry in data.values():
        cik = int(entry["cik_str"])
        rows.setdefault(cik, {"cik": cik, "title": entry["title"]})
        tickers[entry["ticker"].upper()] = cik
    return list(rows.values()), tickers


def nyse_companies(path: Path, tickers: dict[str, int]) -> list[dict]:
    """Issuers of common shares listed on the NYSE, the security's description cut off."""
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            symbol = row["ACT Symbol"].strip()
            name = row["Company Name"].strip()
            if "$" in symbol or not SECURITY.search(name):
                continue
            issuer = SECURITY.sub("", name).strip(" ,")
            cik = tickers.get(symbol.replace(".", "-").upper())
            key = f"cik:{cik}" if cik else f"symbol:{symbol}"
            rows.setdefault(key, {"symbol": symbol, "name": issuer, "cik": cik})
    return sorted(rows.values(), key=lambda row: (row["name"].casefold(), row["symbol"]))


def nasdaq_companies(path: Path, tickers: dict[str, int]) -> list[dict]:
    """Issuers of common equity listed on NASDAQ, the security after " - " cut off."""
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            symbol, name = row["Symbol"].strip(), row["Security Name"].strip()
            parts = name.split(" - ")
            cut = next(
                (i for i in range(1, len(parts)) if NASDAQ_EQUITY.match(" - ".join(parts[i:]))),
                None,
            )
            if cut is None:
                continue
            issuer = " - ".join(parts[:cut]).strip(" ,")
            cik = tickers.get(symbol.replace(".", "-").upper())
            key = f"cik:{cik}" if cik else f"symbol:{symbol}"
            rows.setdefault(key, {"symbol": symbol, "name": issuer, "cik": cik})
    return sorted(rows.values(), key=lambda row: (row["name"].casefold(), row["symbol"]))


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _salesforce_id(prefix: str, number: int) -> str:
    return f"001{prefix}{number:010d}"


def build(
    sp500_repo: Path, sec_tickers: Path, nyse_listed: Path, nasdaq_listed: Path
) -> dict[str, int]:
    sec, tickers = sec_companies(sec_tickers)
    sec_cik = {row["cik"] for row in sec}
    hubspot_id = {row["cik"]: 9_100_000_000 + n for n, row in enumerate(sec, start=1)}
    _write(
        HERE / "sec_hubspot_companies.csv",
        ["Record ID", "Company name"],
        [[hubspot_id[row["cik"]], row["title"]] for row in sec],
    )

    sp500 = [
        row
        for row in sp500_companies(sp500_repo)
        if int(row["CIK"]) in sec_cik or int(row["CIK"]) not in IDENTIFIER_HISTORY
    ]
    accounts, truth = [], []
    for n, row in enumerate(sp500, start=1):
        account_id = _salesforce_id("SP", n)
        city = row["Headquarters Location"].split(",")[0].strip()
        accounts.append([account_id, row["Security"], row["GICS Sector"], city])
        if int(row["CIK"]) in sec_cik:
            truth.append([account_id, hubspot_id[int(row["CIK"])]])
    _write(
        HERE / "sp500_salesforce_accounts.csv",
        ["Account ID", "Account Name", "Industry", "Billing City"],
        accounts,
    )
    _write(HERE / "sp500_truth.csv", ["Account ID", "Record ID"], truth)

    tuned = {int(row["CIK"]) for row in sp500}
    nyse = [row for row in nyse_companies(nyse_listed, tickers) if row["cik"] not in tuned]
    held_accounts, held_truth = [], []
    for n, row in enumerate(nyse, start=1):
        account_id = _salesforce_id("NY", n)
        held_accounts.append([account_id, row["name"]])
        if row["cik"] in sec_cik:
            held_truth.append([account_id, hubspot_id[row["cik"]]])
    _write(HERE / "nyse_salesforce_accounts.csv", ["Account ID", "Account Name"], held_accounts)
    _write(HERE / "nyse_truth.csv", ["Account ID", "Record ID"], held_truth)

    # Held out from every change to the matcher: none of the companies above.
    seen = tuned | {row["cik"] for row in nyse if row["cik"]}
    nasdaq = [row for row in nasdaq_companies(nasdaq_listed, tickers) if row["cik"] not in seen]
    nasdaq_accounts, nasdaq_truth = [], []
    for n, row in enumerate(nasdaq, start=1):
        account_id = _salesforce_id("NQ", n)
        nasdaq_accounts.append([account_id, row["name"]])
        if row["cik"] in sec_cik:
            nasdaq_truth.append([account_id, hubspot_id[row["cik"]]])
    _write(
        HERE / "nasdaq_salesforce_accounts.csv", ["Account ID", "Account Name"], nasdaq_accounts
    )
    _write(HERE / "nasdaq_truth.csv", ["Account ID", "Record ID"], nasdaq_truth)
    return {
        "sec": len(sec),
        "sp500": len(accounts),
        "sp500_pairs": len(truth),
        "nyse": len(held_accounts),
        "nyse_pairs": len(held_truth),
        "nasdaq": len(nasdaq_accounts),
        "nasdaq_pairs": len(nasdaq_truth),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sp500-repo", type=Path, required=True)
    parser.add_argument("--sec-tickers", type=Path, required=True)
    parser.add_argument("--nyse-listed", type=Path, required=True)
    parser.add_argument("--nasdaq-listed", type=Path, required=True)
    args = parser.parse_args()
    print(build(args.sp500_repo, args.sec_tickers, args.nyse_listed, args.nasdaq_listed))


if __name__ == "__main__":
    main()
