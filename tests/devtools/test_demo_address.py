"""`make demo` prints the address it serves on, whatever HOST and PORT say."""

import argparse
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from devtools.management.commands.seed_demo import served_url


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("[::]:8080", "http://127.0.0.1:8080"),
        ("demo.local:80", "http://demo.local:80"),
        ("::1:9000", "http://[::1]:9000"),
    ],
)
def test_the_url_to_open_for_an_address(address, url):
    assert served_url(address) == url


def test_an_address_without_a_port_is_refused():
    with pytest.raises(argparse.ArgumentTypeError):
        served_url("localhost")


def test_the_seed_command_prints_the_address_given(db, monkeypatch):
    # With a demo program in place the command prints only the logins and the address.
    monkeypatch.setattr("devtools.management.commands.seed_demo.demo_merger", lambda: object())
    out = StringIO()
    call_command("seed_demo", "--serve-address", "127.0.0.1:8101", stdout=out)
    assert "Open http://127.0.0.1:8101 and sign in." in out.getvalue()
    assert "8000" not in out.getvalue()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_passes_its_port_to_the_seed_command():
    dry_run = subprocess.run(
        ["make", "-n", "demo", "PORT=8101", "HOST=0.0.0.0"],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "seed_demo --serve-address 0.0.0.0:8101" in dry_run
    assert "runserver 0.0.0.0:8101" in dry_run
