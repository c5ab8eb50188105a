"""The suite never depends on, reads or writes the real user's setguide files."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_uses_private_folders():
    temp = Path(tempfile.gettempdir()).resolve()
    for name in ("SETGUIDE_CONFIG_DIR", "SETGUIDE_CACHE_DIR"):
        assert Path(os.environ[name]).resolve().is_relative_to(temp), name
        assert not Path(os.environ[name]).resolve().is_relative_to(Path.home().resolve() / ".config")


def test_the_data_tests_pass_with_a_real_corrections_file_present(tmp_path):
    """A user who has corrected a number locally can still run `make test`."""
    home = tmp_path / "home"
    config = home / ".config" / "setguide"
    config.mkdir(parents=True)
    (config / "overrides.toml").write_text(
        '[override."contacts.thurrock.phone_text"]\n'
        'value = "01375 000000"\nsource = "a real user\'s correction"\nset_on = 2026-01-05\n',
        encoding="utf-8",
    )
    cache = home / ".cache" / "setguide"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SETGUIDE_")}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_data.py",
            "tests/test_contacts_quadrant.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    # and the real folders were left as they were: the correction kept, no cache written
    assert "01375 000000" in (config / "overrides.toml").read_text(encoding="utf-8")
    assert not cache.exists() or not any(cache.iterdir())
