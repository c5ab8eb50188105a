"""The wheel carries its data: installed with pip (not editable), in a fresh venv
and run from elsewhere, setguide finds every fact."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(ROOT)],
        check=True,
    )
    (wheel,) = work.glob("setguide-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The wheel is unpacked as pip would install it; its dependencies come from the
    # test venv through a path entry, which (unlike a site dir) runs no editable hook.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, str(wheel)], check=True
    )
    (Path(target) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    script = Path(target) / "bin" / "setguide"
    launcher = env_dir / "bin" / "setguide"
    launcher.write_text(f"#!{python}\nfrom setguide.cli import main\nmain()\n")
    launcher.chmod(0o755)
    assert script.exists()  # the wheel declares the console script
    return env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "SETGUIDE_CONFIG_DIR": str(cwd / "config")}
    return subprocess.run([env_dir / "bin" / "setguide", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_installed_wheel_runs_from_its_own_files(installed, tmp_path):
    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import setguide.model.data as d; print(d.__file__); print(d.data_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.split()
    assert all(str(installed) in p for p in where), where
    assert (Path(where[1]) / "contacts.toml").is_file()


def test_installed_contacts_thurrock(installed, tmp_path):
    result = _run(installed, "contacts", "thurrock", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for value in ("Seema Moules", "01375 652973", "SMoules@thurrock.gov.uk"):
        assert value in result.stdout


def test_installed_quadrant_and_protocol(installed, tmp_path):
    answer = json.loads(_run(installed, "quadrant", "Billericay", "--json", cwd=tmp_path).stdout)
    assert answer["quadrant"]["id"] == "south"
    assert "Operation Censor" in _run(installed, "protocol", "2.3", cwd=tmp_path).stdout
