"""benchmarks/synth.py: a synthetic county checks clean and is the same for the same seed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _synth():
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_synthetic_county_checks_clean_with_every_kind(tmp_path):
    from generator.domain.kinds import KINDS

    _synth().generate(tmp_path, villages=2, years=2, records=60, seed=7)
    content, config = tmp_path / "content", tmp_path / "site_config"
    for village in ("v001", "v002"):
        sections = set()
        for year in ("2025", "2026"):
            records = list((content / village / year).rglob("*.yml"))
            assert 55 <= len(records) <= 80  # the demo's other kinds, copied, and the notices made
            sections |= {path.parent.name for path in records}
        # every kind, in one year or the other as the demo has them (corrections are only for
        # fixing a closed year)
        assert set(KINDS) - {"corrections"} <= sections
    assert (content / "v001" / "2026" / "elections").is_dir()
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(content),
                             "--config", str(config), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    problems = json.loads(result.stdout)
    assert problems and {problem["severity"] for problem in problems} == {"finding"}


def test_same_seed_same_county(tmp_path):
    synth = _synth()
    synth.generate(tmp_path / "a", villages=1, years=1, records=40, seed=3)
    synth.generate(tmp_path / "b", villages=1, years=1, records=40, seed=3)
    synth.generate(tmp_path / "c", villages=1, years=1, records=40, seed=4)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
