"""Simulated users: reps log and move opportunities, leaders read pages, executives export.

Two rep clients share each rep's sign-in, as one person on two devices would,
so that they sometimes move the same opportunity on at the same time.

Run by `manage.py loadtest`, which seeds the program, writes the plan this file
reads (LOADTEST_PLAN: sign-ins, ids and each rep client's own account/product
pairs) and afterwards checks the database against the ledger written here
(LOADTEST_LEDGER: one JSON line per write the server confirmed).

A 409 is the server refusing a stale version, which a real client handles by
reading again: it is counted apart, not as an error.
"""

import itertools
import json
import os
import random
import threading
from collections import defaultdict
from datetime import date, timedelta

from locust import HttpUser, between, task

with open(os.environ["LOADTEST_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
LEDGER_PATH = os.environ["LOADTEST_LEDGER"]
API = "/api/v1"
EXPORT_WAIT_SECONDS = 60

_slots = itertools.count()
_ledger_lock = threading.Lock()
# The opportunities each rep sign-in has logged, shared by the clients signed in as that rep.
OWNED: dict[str, list[int]] = defaultdict(list)


def record(**entry) -> None:
    """Appends one confirmed write to the ledger."""
    with _ledger_lock, open(LEDGER_PATH, "a") as ledger:
        ledger.write(json.dumps(entry) + "\n")


class RepUser(HttpUser):
    """Lists their pipeline, logs an opportunity, moves it on with the version they read."""

    weight = 7
    wait_time = between(1, 3)

    def on_start(self) -> None:
        slot = next(_slots)
        plan = PLAN["reps"][slot % len(PLAN["reps"])]
        self.headers = {"Authorization": f"Token {plan['token']}"}
        self.pairs = list(plan["pairs"]) if slot < len(PLAN["reps"]) else []
        self.mine = OWNED[plan["username"]]

    @task(5)
    def list_my_opportunities(self) -> None:
        self.client.get(
            f"{API}/opportunities/?mine=true&outcome=open",
            headers=self.headers,
            name="rep: list my opportunities",
        )

    @task(2)
    def log_opportunity(self) -> None:
        if not self.pairs:
            return
        account, product = self.pairs.pop()
        body = {
            "merger": PLAN["merger"],
            "account": account,
            "product": product,
            "stage": PLAN["stages"][0],
            "amount": str(random.randrange(5_000, 250_000, 500)),
            "expected_close": (date.today() + timedelta(days=90)).isoformat(),
            "customer_need": "Load test: their plant wants remote monitoring",
        }
        response = self.client.post(
            f"{API}/opportunities/", json=body, headers=self.headers, name="rep: log opportunity"
        )
        if response.status_code == 201:
            created = response.json()
            record(kind="created", id=created["id"], version=created["version"])
            self.mine.append(created["id"])

    @task(3)
    def move_opportunity_on(self) -> None:
        if not self.mine:
            return
        pk = random.choice(self.mine[-3:])  # the freshest, as a rep works on them
        url = f"{API}/opportunities/{pk}/"
        for _attempt in range(3):
            read = self.client.get(url, headers=self.headers, name="rep: open opportunity")
            if read.status_code != 200:
                return
            current = read.json()
            stages = PLAN["stages"]
            stage = stages[(stages.index(current["stage"]) + 1) % len(stages)]
            with self.client.patch(
                url,
                json={"version": current["version"], "stage": stage},
                headers=self.headers,
                name="rep: move opportunity on",
                catch_response=True,
            ) as response:
                if response.status_code == 409:
                    response.success()  # refused as stale: read again and retry
                    record(kind="conflict", id=pk)
                    continue
                if response.status_code == 200:
                    written = response.json()
                    record(kind="updated", id=pk, version=written["version"], stage=stage)
            return


class LeaderUser(HttpUser):
    """Signs in to the web pages and reviews the dashboard, the pipeline and the quotas."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self) -> None:
        leader = random.choice(PLAN["leaders"])
        form = self.client.get("/login/", name="leader: sign in")
        csrf = form.cookies.get("csrftoken", "")
        # Cookies are sent by hand: with DEBUG off they are marked Secure, and a
        # client on plain HTTP (this test, on 127.0.0.1) would otherwise drop them.
        signed_in = self.client.post(
            "/login/",
            data={
                "username": leader["username"],
                "password": leader["password"],
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Cookie": f"csrftoken={csrf}"},
            allow_redirects=False,
            name="leader: sign in",
        )
        session = signed_in.cookies.get("sessionid", "")
        self.cookies = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}

    def page(self, path: str, name: str) -> None:
        with self.client.get(
            path, headers=self.cookies, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self.page("/dashboards/", "leader: dashboard")

    @task(3)
    def pipeline(self) -> None:
        self.page("/pipeline/", "leader: pipeline")

    @task(2)
    def quotas(self) -> None:
        self.page("/quotas/", "leader: quotas")


class ExecutiveUser(HttpUser):
    """Asks for the board pack and waits for it to be built, then downloads it."""

    weight = 1
    wait_time = between(5, 10)

    def on_start(self) -> None:
        executive = random.choice(PLAN["executives"])
        self.headers = {"Authorization": f"Token {executive['token']}"}

    @task
    def export_scorecard(self) -> None:
        body = {"merger": PLAN["merger"], "month": PLAN["month"], "format": "xlsx"}
        asked = self.client.post(
            f"{API}/exports/", json=body, headers=self.headers, name="executive: request export"
        )
        if asked.status_code != 202:
            return
        job = asked.json()
        record(kind="export", id=job["id"])
        for _poll in range(EXPORT_WAIT_SECONDS):
            if job["status"] in ("succeeded", "failed"):
                break
            self.wait_a_second()
            job = self.client.get(
                f"{API}/exports/{job['id']}/", headers=self.headers, name="executive: poll export"
            ).json()
        with self.client.get(
            f"{API}/exports/{job['id']}/download/",
            headers=self.headers,
            name="executive: download export",
            catch_response=True,
        ) as response:
            if job["status"] != "succeeded" or not response.content:
                response.failure(f"export {job['id']} ended {job['status']}: {job['message']}")

    def wait_a_second(self) -> None:
        import gevent

        gevent.sleep(1)
