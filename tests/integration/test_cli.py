"""The command line as a clerk meets it: located messages, exit codes, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.archive.test_snapshots import village
from tests.conftest import ROOT, write_files

GOOD_NOTICE = """title: 关于召开党员大会的通知
date: 2025-03-01
posted_until: 2025-03-10
category: 三会一课
issuer: 中共测试村支部委员会
body: |
  定于3月5日召开全体党员大会，审议村集体经济发展规划。
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_check_on_the_demo_is_clean(tmp_path: Path):
    result = run("check", "--content", str(ROOT / "content"), "--config", str(ROOT / "site_config"),
                 "--as-of", "2026-11-25", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "错误：" not in result.stderr


def test_broken_yaml_is_named_by_file_and_line(tmp_path: Path, site_config: Path):
    write_files(tmp_path, {
        "content/testv/2025/party/2025-03-meeting.yml": GOOD_NOTICE,
        "content/testv/2025/party/2025-04-broken.yml": "title: 坏了\ndate: 2025-04-01\ncategory 三会一课\nbody: x\n",
    })
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/testv/2025/party/2025-04-broken.yml:3: 错误：" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_all_errors_of_a_run_are_reported_together(tmp_path: Path, site_config: Path):
    write_files(tmp_path, {
        "content/testv/2025/party/a.yml": GOOD_NOTICE.replace("2025-03-01", "2025-02-30"),
        "content/testv/2025/affairs/b.yml": GOOD_NOTICE.replace("三会一课", "不存在的类别"),
        "content/testv/2025/finace/c.yml": GOOD_NOTICE,
    })
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "party/a.yml:2:" in result.stderr
    assert "affairs/b.yml:4:" in result.stderr
    assert "finace" in result.stderr
    assert "共发现 3 个错误" in result.stderr


def test_a_build_whose_check_fails_writes_nothing(tmp_path: Path, site_config: Path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "keep.txt").write_text("published before", encoding="utf-8")
    write_files(tmp_path, {"content/testv/2025/party/a.yml": GOOD_NOTICE.replace("date: 2025-03-01", "date: 明天")})
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    result = run("build", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert "没有生成网站" in result.stderr
    # The build's own cache beside the output (.public.cache: record files' hashes, kept once
    # they have settled) is no output: a failed build may keep what it learnt there.
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if ".public.cache" not in p.parts)
    assert after == before
    assert (out / "keep.txt").read_text(encoding="utf-8") == "published before"


def test_check_json_lists_problems_for_machines(tmp_path: Path, site_config: Path):
    import json

    write_files(tmp_path, {"content/testv/2025/party/a.yml": GOOD_NOTICE.replace("2025-03-10", "2025-03-03")})
    result = run("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0  # a short posting period is a finding, not an error
    problems = [p for p in json.loads(result.stdout) if not p["code"].startswith("disclosure_")]
    assert problems == [{
        "file": "content/testv/2025/party/a.yml", "line": 3, "column": None, "severity": "finding",
        "code": "posting_too_short", "message": "公示期只有 3 天，少于规定的 7 天。",
        # A finding says the rule it rests on (shown on the pages) and the clerk's fix (never shown there).
        "basis": "《村民委员会组织法》第三十条和本镇设置：每类公告至少公示规定的天数。",
        "fix": "把 posted_until 改到公示期满的那一天；已经撤下的，重新张贴补足天数后再改。",
    }]


def test_a_build_says_all_it_did_and_ends_with_success(tmp_path: Path, site_config: Path):
    """The command ends its process once the work is done (cli.command): what it printed to a pipe
    (block-buffered, as a script or a scheduler reads it) is all there."""
    content, config, out = village(tmp_path)
    result = run("build", "--content", str(content), "--config", str(config), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(f"已生成 1 个村年度网站，输出在 {out}")
    assert (out / "testv" / "2025" / "index.html").is_file()
