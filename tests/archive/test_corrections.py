"""Correction notices (更正说明) carry the day they were really issued, usually after the year
they correct, and live in that year's folder: a closed year is never corrected by back-dating."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.archive.verify import verify
from generator.domain.chain import PUBLISH, Chain, Entry
from generator.inputs.messages import Catalogue
from generator.inputs.problems import InputError
from generator.pipeline.build import build
from generator.pipeline.close import close
from tests.archive.test_snapshots import AS_OF, log, published, village  # noqa: F401 (a fixture)
from tests.conftest import ROOT, write_files

RECORD = "party/2025-03-meeting.yml"  # the test village's record of 38 members present


def _the_guides_example() -> tuple[str, str]:
    """The archivist's guide's correction example, reached as a reader would, from the README: the
    notice's path (under the village's folder) and its text, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = re.search(r"\[档案指南\]\((docs/guide/archivist\.md)\)", readme)
    assert link, "the README no longer links to the archivist's guide"
    guide = (ROOT / link.group(1)).read_text(encoding="utf-8")
    section = guide.split("## 更正封存的年度", 1)[1].split("\n## ", 1)[0]
    path = re.search(r"`content/<村>/(2025/corrections/[\w-]+\.yml)`", section).group(1)
    text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return path, text


def _change_the_record(content: Path) -> None:
    path = content / "testv" / "2025" / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")


def test_the_guides_example_corrects_a_closed_year_on_the_day_it_was_issued(published):
    content, config, out = published
    path, text = _the_guides_example()
    issued = yaml.safe_load(text)["date"]
    assert issued.year == 2026  # the example is not back-dated into the year it corrects

    close(content, config, out, 2025, as_of=AS_OF)
    _change_the_record(content)
    write_files(content / "testv", {path: text})
    build(content, config, out, as_of=date(2026, 6, 1))

    key = "corrections/" + Path(path).stem
    entry = log(out).entries[-1]
    assert (entry.action, entry.year, entry.revision) == (PUBLISH, 2025, 2)
    assert (entry.correction, entry.correction_date) == (key, issued.isoformat())
    village_dir = out / "testv"
    assert "38名" in (village_dir / "2025-r1" / "party" / "2025-03-meeting" / "index.html").read_text(encoding="utf-8")
    assert "40名" in (village_dir / "2025" / "party" / "2025-03-meeting" / "index.html").read_text(encoding="utf-8")
    # Its real day, wherever it is shown: its page, the year's front page, the changes page, the feed.
    shown = "2026年3月2日"
    assert shown in (village_dir / "2025" / key / "index.html").read_text(encoding="utf-8")
    assert f"（{shown}）" in (village_dir / "2025" / "index.html").read_text(encoding="utf-8")
    assert f"{shown}发布" in (village_dir / "changes" / "index.html").read_text(encoding="utf-8")
    feed = (village_dir / "feed.xml").read_text(encoding="utf-8")
    item = feed.split(f'href="2025/{key}/"', 1)[1].split("</entry>", 1)[0]
    assert "<updated>2026-03-02T00:00:00+08:00</updated>" in item
    assert verify(out).failures == []


def _notice(day: str) -> str:
    return ("title: 关于党员大会实到人数的更正说明\n"
            f"date: {day}\n"
            "reason: 经核对签到表，实到40名。\n"
            "changes:\n  - record: party/2025-03-meeting\n    what: 实到人数由38名更正为40名\n")


@pytest.mark.parametrize("day, as_of, key, said", [
    ("2025-03-20", date(2026, 6, 1), "correction_before_record", "早于它更正的记录 party/2025-03-meeting 的日期 2025-03-28"),
    ("2026-07-01", date(2026, 6, 1), "correction_in_future", "在今天（2026-06-01）之后"),
    ("2024-12-30", date(2026, 6, 1), "wrong_year_folder", "属于 2024 年"),
])
def test_a_correction_dated_before_what_it_corrects_or_after_today_is_refused(published, day, as_of, key, said):
    content, config, out = published
    close(content, config, out, 2025, as_of=AS_OF)
    _change_the_record(content)
    write_files(content / "testv" / "2025", {"corrections/fix.yml": _notice(day)})
    with pytest.raises(InputError) as refused:
        build(content, config, out, as_of=as_of)
    [problem] = refused.value.problems.errors
    assert problem.key == key
    assert (Path(problem.location.path).name, problem.location.line) == ("fix.yml", 2)  # its date
    rendered = problem.render(Catalogue("zh"))
    assert re.match(r".*fix\.yml:2: 错误：", rendered) and said in rendered


def test_a_correction_in_an_open_year_is_dated_the_same_way(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path)
    _change_the_record(content)
    write_files(content / "testv" / "2025", {"corrections/2026-01-attendance.yml": _notice("2026-01-10")})
    build(content, config, out, as_of=date(2026, 2, 1))
    assert (out / "testv" / "2025" / "corrections" / "2026-01-attendance" / "index.html").is_file()
    feed = (out / "testv" / "feed.xml").read_text(encoding="utf-8")
    item = feed.split('href="2025/corrections/2026-01-attendance/"', 1)[1].split("</entry>", 1)[0]
    assert "<updated>2026-01-10T00:00:00+08:00</updated>" in item
    assert verify(out).failures == []


# An entry as the log was written before correction dates were kept (by the code of 862b5bf).
_OLD_ENTRY = ('{"action":"publish","changes":{"added":["affairs/2025-04-roads","party/2025-03-meeting"],'
              '"changed":[],"removed":[]},"correction":null,'
              '"hash":"bc153721c79d4dfdd3a7d49c8976c7eb40b07326d383ab85aca417b6848a81ac","prev":null,"revision":1,'
              '"root":"1df7dc1db0c380282301450446bc6196626d08cc4c28d25bc92f84261d51b405","seq":1,'
              '"time":"2026-12-06T21:47:32Z","year":2025}')


def test_log_entries_written_before_correction_dates_still_verify():
    chain = Chain([Entry.parse(_OLD_ENTRY)])
    chain.validate()
    assert chain.text() == _OLD_ENTRY + "\n"  # written back byte for byte
    corrected = chain.append(PUBLISH, 2025, 2, "b" * 64, correction="corrections/x", correction_date="2026-03-02")
    assert '"correction_date":"2026-03-02"' in corrected.line()
    again = Chain([Entry.parse(line) for line in chain.text().splitlines()])
    again.validate()
    assert again.entries == chain.entries


def test_a_correction_issued_in_a_later_year_is_not_that_years_disclosure(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path, years=(2025, 2026))
    build(content, config, out, as_of=AS_OF)
    close(content, config, out, 2025, as_of=AS_OF)
    _change_the_record(content)
    write_files(content / "testv" / "2025", {"corrections/2026-05-attendance.yml": _notice("2026-05-20")})
    build(content, config, out, as_of=date(2026, 6, 1))
    assert log(out).latest_publication(2025).correction_date == "2026-05-20"
    # 2026's latest 村务公开 is still its own notice of 2 April, not last year's correction.
    compliance = (out / "testv" / "2026" / "compliance" / "index.html").read_text(encoding="utf-8")
    assert "关于党员大会实到人数的更正说明" not in compliance and "2026年4月2日" in compliance
