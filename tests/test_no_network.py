"""setguide never opens a socket: every command runs with sockets forbidden."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

from setguide.model import data as data_module

COMMANDS = [
    ["--version"],
    ["--help"],
    ["contacts"],
    ["contacts", "thurrock", "--json"],
    ["quadrant", "Harlow"],
    ["quadrant", "Grays", "--json"],
    ["protocol", "2.3"],
    ["forums"],
    ["forums", "--next", "--json"],
    ["search", "county lines"],
    ["email-check", "someone@essex.pnn.police.uk"],
    ["triage", "--no-threat-to-life", "--offence", "--urgent", "--area", "Harlow", "--at", "2026-12-01T10:00"],
    [
        "triage",
        "--no-threat-to-life",
        "--no-offence",
        "--level",
        "potential",
        "--area",
        "Southend",
        "--theme",
        "missing",
    ],
    ["tree", "--format", "mermaid"],
    ["data", "verify"],
    ["data", "diff"],
]


@pytest.fixture
def no_sockets(monkeypatch):
    opened: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            opened.append(name)
            raise OSError(f"setguide tried to use the network: {name}")

        return _refuse

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return opened


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_no_command_opens_a_socket(run, no_sockets, args):
    data_module.get.cache_clear()
    result = run(*args)
    assert no_sockets == []
    assert result.code == 0, result.err


def test_not_even_at_import_or_start_up(tmp_path):
    # A fresh interpreter whose socket module refuses everything, running the real entry point.
    guard = tmp_path / "sitecustomize.py"
    guard.write_text(
        textwrap.dedent(
            """
            import socket
            class _NoSocket(socket.socket):
                def __init__(self, *a, **k):
                    raise SystemExit("setguide opened a socket")
            socket.socket = _NoSocket
            socket.create_connection = socket.getaddrinfo = lambda *a, **k: (_ for _ in ()).throw(SystemExit("dns"))
            """
        )
    )
    for args in (["contacts", "thurrock"], ["quadrant", "Basildon"], ["data", "verify"]):
        result = subprocess.run(
            [sys.executable, "-m", "setguide", *args],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(tmp_path), "SETGUIDE_CONFIG_DIR": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr
