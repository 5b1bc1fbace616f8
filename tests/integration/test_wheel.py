"""The tool installed from its wheel, outside the checkout, builds the demo byte for byte as the
checkout does: the theme, the messages and the base configuration travel as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import DEMO_AS_OF, ROOT

_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "node_modules", "public", ".public.cache", "build", "docs",
                                     "tests", "benchmarks", "*.egg-info", "__pycache__", ".pytest_cache")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_the_installed_wheel_builds_the_demo_as_the_checkout_does(tmp_path: Path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("village_portal-*.whl"))

    # A fresh environment that has the tool only from its wheel (its dependencies are this one's).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"], cwd=elsewhere,
                           env=env, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(site)), where  # not the checkout's

    arguments = ["build", "--content", str(ROOT / "content"), "--config", str(ROOT / "site_config"),
                 "--as-of", DEMO_AS_OF.isoformat(), "--jobs", "1"]
    subprocess.run([str(venv / "bin" / "village-portal"), *arguments, "--out", str(tmp_path / "installed")],
                   cwd=elsewhere, env=env, check=True, capture_output=True)
    # The same source as a checkout runs it (the copy: the wheel's own source, to the byte).
    subprocess.run([sys.executable, "-m", "generator", *arguments, "--out", str(tmp_path / "checkout")],
                   cwd=source, env={**env, "PYTHONPATH": str(source)}, check=True, capture_output=True)

    installed, checkout = _files(tmp_path / "installed"), _files(tmp_path / "checkout")
    assert len(checkout) > 1000
    assert sorted(installed) == sorted(checkout)
    assert [name for name in checkout if installed[name] != checkout[name]] == []
