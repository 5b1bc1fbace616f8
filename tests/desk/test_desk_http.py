"""The clerk's desk over plain HTTP (issue 23): edits keep the file's comments, a change made on
disk meanwhile is not overwritten, and what is unsafe is refused: no CSRF token, a path out of
content/, a 50 MB or mistyped upload, a closed year, a non-local bind without a password."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.cli import main
from generator.pipeline.build import build
from generator.pipeline.close import close
from generator.tools.desk.app import create_app
from generator.tools.desk.guard import Guard
from tests.conftest import ROOT
from tests.unit._support import resident_id
from tests.word_files import notice_docx

AFFAIRS = "content/hekou/2026/affairs"
DIBAO = f"{AFFAIRS}/2026-q3-dibao.yml"
FORM = "/r/hekou/2026/affairs/2026-q3-dibao"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    return tmp_path


def _client(folder: Path, guard: Guard | None = None) -> TestClient:
    app = create_app(folder / "content", folder / "site_config", folder / "public", guard, as_of=date(2026, 11, 25))
    return TestClient(app, base_url="http://127.0.0.1:8001")


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def _answers(html: str) -> dict[str, str]:
    """The form as the browser would send it back unchanged."""
    answers = {name: _hidden(html, name) for name in ("csrf", "base_yml", "base_table")}
    for name, value in re.findall(r'<input id="f-[^"]+" name="([^"]+)" value="([^"]*)"', html):
        answers[name] = value
    for name, value in re.findall(r'<textarea id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        answers[name] = value.replace("&#34;", '"').replace("&#39;", "'")
    for name, body in re.findall(r'<select id="f-[^"]+" name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r"<option(?: value=\"([^\"]*)\")? selected>([^<]*)<", body)
        answers[name] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    return answers


def test_an_edit_keeps_the_comments(folder: Path) -> None:
    path = folder / DIBAO
    text = path.read_text(encoding="utf-8")
    path.write_text("# 民政办要求每季度公示一次\n" + text.replace("category: 低保救助", "category: 低保救助  # 不要改类别"),
                    encoding="utf-8")
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    answers["posted_until"] = "2026-07-20"
    saved = client.post(FORM, data=answers, follow_redirects=False)
    assert saved.status_code == 303
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# 民政办要求每季度公示一次\n")
    assert "category: 低保救助  # 不要改类别" in after
    assert "posted_until: 2026-07-20\n" in after
    # Nothing else moved: the only line changed is the one the clerk changed.
    changed = [pair for pair in zip(text.splitlines(), after.splitlines()[1:]) if pair[0] != pair[1]]
    assert [line for line, _ in changed] == ["posted_until: 2026-07-17", "category: 低保救助"]


def test_a_change_on_disk_meanwhile_is_refused_with_both_versions(folder: Path) -> None:
    path = folder / DIBAO
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    theirs = path.read_text(encoding="utf-8").replace("河口村村民委员会", "河口村民政协理员")
    path.write_text(theirs, encoding="utf-8")  # someone else, in Excel's folder or another desk
    answers["title"] = "河口村2026年第三季度农村低保对象公示（修改）"
    refused = client.post(FORM, data=answers, follow_redirects=False)
    assert refused.status_code == 409
    assert path.read_text(encoding="utf-8") == theirs
    assert "河口村民政协理员" in refused.text and "第三季度农村低保对象公示（修改）" in refused.text
    assert "没有保存" in refused.text


def test_a_change_without_the_csrf_token_is_refused(folder: Path) -> None:
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    for token in (None, "forged"):
        sent = {key: value for key, value in answers.items() if key != "csrf"} | ({"csrf": token} if token else {})
        sent["title"] = "被篡改的标题"
        response = client.post(FORM, data=sent, follow_redirects=False)
        assert response.status_code == 403
    assert "被篡改的标题" not in (folder / DIBAO).read_text(encoding="utf-8")
    publish = client.post("/publish", data={}, follow_redirects=False)
    assert publish.status_code == 403 and not (folder / "public").exists()


@pytest.mark.parametrize("address", [
    "/r/hekou/2026/affairs/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/r/..%2F..%2Fetc/2026/affairs/passwd",
    "/r/hekou/2026/..%2F..%2F..%2Fetc/passwd",
    "/v/..%2F..%2Fetc/passwd",
    "/r/../../etc/passwd",
])
def test_a_path_out_of_the_content_folder_is_refused(folder: Path, address: str) -> None:
    client = _client(folder)
    csrf = _hidden(client.get(FORM).text, "csrf")
    assert client.get(address).status_code == 404
    response = client.post(address, data={"csrf": csrf, "title": "x"}, follow_redirects=False)
    assert response.status_code in (404, 405)
    assert "root:" not in response.text


def test_a_new_record_named_out_of_its_folder_is_refused(folder: Path) -> None:
    client = _client(folder)
    csrf = _hidden(client.get("/r/hekou/2026/affairs/new").text, "csrf")
    response = client.post("/r/hekou/2026/affairs/new", follow_redirects=False,
                           data={"csrf": csrf, "record_id": "../../../../etc/passwd", "title": "x"})
    assert response.status_code == 400
    assert not any(path.name == "passwd" for path in folder.rglob("*"))


def test_a_50_mb_upload_is_refused(folder: Path) -> None:
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    big = b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024)
    response = client.post(FORM, data=answers, files={"table": ("名单.xlsx", big)}, follow_redirects=False)
    assert response.status_code == 413
    assert "太大" in response.text
    assert not (folder / AFFAIRS / "2026-q3-dibao.xlsx").exists()


def test_an_upload_that_is_not_a_table_is_refused(folder: Path) -> None:
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    for name, data in (("名单.exe", b"MZ\x90\x00"), ("名单.xlsx", b"<html>not a workbook</html>")):
        response = client.post(FORM, data=answers, files={"table": (name, data)}, follow_redirects=False)
        assert response.status_code == 415
    assert not (folder / AFFAIRS / "2026-q3-dibao.xlsx").exists()


def test_a_table_is_shown_back_with_its_problem_at_the_cell(folder: Path) -> None:
    form = "/r/hekou/2026/points/2026-h1-group1"
    client = _client(folder)
    answers = _answers(client.get(form).text)
    rows = (folder / "content/hekou/2026/points/2026-h1-group1.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace(",86", ",八十六")
    response = client.post(form, data=answers, files={"table": ("积分.csv", "\n".join(rows).encode("utf-8"))})
    assert response.status_code == 200
    cell = re.search(r'<td class="cell-problem">八十六(.*?)</td>', response.text, re.S)
    assert cell is not None and "错误" in cell.group(1) and "请只写数字" in cell.group(1)
    assert '<tr class="bad"><th>3</th>' in response.text  # the row as the clerk's file numbers it


def test_a_closed_year_is_read_only(folder: Path) -> None:
    """2025 published and closed as the township does it: its records can be read, not changed."""
    content, config, out = folder / "content", folder / "site_config", folder / "public"
    build(content, config, out, as_of=date(2026, 11, 25), only=["hekou"])
    close(content, config, out, 2025, ["hekou"], as_of=date(2026, 11, 25))
    client = _client(folder)
    assert "这一年已经关闭" in client.get("/v/hekou/2025").text
    record = next((content / "hekou/2025/affairs").glob("*.yml"))
    address = f"/r/hekou/2025/affairs/{record.stem}"
    page = client.get(address).text
    assert "<fieldset disabled>" in page and "/r/hekou/2026/corrections/new" in page
    before = record.read_bytes()
    assert client.post(address, data=_answers(page) | {"title": "改了关闭的一年"}, follow_redirects=False).status_code == 403
    assert client.post("/r/hekou/2025/affairs/new", data=_answers(page) | {"record_id": "late"},
                       follow_redirects=False).status_code == 403
    assert record.read_bytes() == before and not (content / "hekou/2025/affairs/late.yml").exists()


def test_on_this_machine_only_its_own_names_are_answered(folder: Path) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) reads nothing."""
    app = create_app(folder / "content", folder / "site_config", folder / "public", as_of=date(2026, 11, 25))
    assert TestClient(app, base_url="http://evil.example:8001").get(FORM).status_code == 400
    assert TestClient(app, base_url="http://localhost:8001").get(FORM).status_code == 200


def test_a_non_local_bind_needs_a_password(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["desk", "--host", "0.0.0.0", "--port", "1", "--content", str(folder / "content"),
                 "--config", str(folder / "site_config"), "--out", str(folder / "public")])
    assert code == 2
    assert "--password" in capsys.readouterr().err
    with pytest.raises(PermissionError):
        Guard.for_bind("192.168.1.20", None)
    Guard.for_bind("::1", None)  # this machine: no password needed


def test_with_a_password_nothing_is_open_before_signing_in(folder: Path) -> None:
    guard = Guard.for_bind("0.0.0.0", "河口2026")
    assert b"\xe6\xb2\xb3" not in guard.password_hash and guard.password_hash != "河口2026".encode()
    client = _client(folder, guard)
    assert client.get(FORM, follow_redirects=False).headers["location"] == "/login"
    csrf = _hidden(client.get("/login").text, "csrf")
    assert client.post("/login", data={"password": "河口2026"}).status_code == 403  # no token
    assert client.post("/login", data={"password": "wrong", "csrf": csrf}).status_code == 403
    assert client.post("/login", data={"password": "河口2026", "csrf": csrf}).status_code == 200
    assert "河口村2026年第三季度" in client.get(FORM).text


def test_every_kind_has_a_form_and_an_unchanged_form_leaves_its_file_as_it_was(folder: Path) -> None:
    """A record of each section of 河口村 (2025 and 2026) opened and saved as it is: byte for byte the
    same file (nested lists and all), and a new record's form for every kind."""
    client = _client(folder)
    records = {}
    for path in sorted((folder / "content/hekou").glob("*/*/*.yml")):
        records.setdefault(path.parent.relative_to(folder / "content/hekou"), path)
    assert len(records) >= 20
    for path in records.values():
        year, section = path.parent.parent.name, path.parent.name
        address = f"/r/hekou/{year}/{section}/{path.stem}"
        before = path.read_bytes()
        saved = client.post(address, data=_answers(client.get(address).text), follow_redirects=False)
        assert saved.status_code == 303, address
        assert path.read_bytes() == before, address
    for section in {path.parent.name for path in records.values()}:
        assert client.get(f"/r/hekou/2026/{section}/new").status_code == 200, section


def test_the_table_template_downloads_as_an_xlsx(folder: Path) -> None:
    response = _client(folder).get("/template/affairs.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK\x03\x04")
    assert "affairs-template.xlsx" in response.headers["content-disposition"]


def test_the_year_page_lists_records_newest_first_with_their_state(folder: Path) -> None:
    path = folder / DIBAO
    path.write_text(path.read_text(encoding="utf-8").replace("posted_until: 2026-07-17", "posted_until: 2026-07-12"),
                    encoding="utf-8")
    page = _client(folder).get("/v/hekou/2026").text
    party = page[page.index('id="party"'):page.index('id="points"')]
    days = re.findall(r"<span class=\"meta\">(\d{4}-\d\d-\d\d)", party)
    assert days == sorted(days, reverse=True) and len(days) > 5
    assert "公示中，还剩 6 天" in party  # posted 2026-11-24 until 12-01, seen on 11-25
    affairs = page[page.index('id="affairs"'):page.index('id="finance"')]
    line = affairs[affairs.index("第三季度农村低保"):]
    assert "1 项提醒" in line[:line.index("</li>")]


def test_a_publication_with_an_error_changes_nothing_and_leads_to_the_record(folder: Path) -> None:
    path = folder / DIBAO
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-07-10", "date: 2026年13月10日"), encoding="utf-8")
    client = _client(folder)
    csrf = _hidden(client.get("/publish").text, "csrf")
    page = client.post("/publish", data={"csrf": csrf}).text
    assert "发布没有完成，网站没有改动" in page
    errors = page[page.index('id="outcome"'):page.index("<details")]
    assert "2026年13月10日" in errors and f'<a href="{FORM}">' in errors
    assert not (folder / "public").exists()


def test_an_upload_that_does_not_say_its_length_is_cut_off_too(folder: Path) -> None:
    client = _client(folder)
    csrf = _hidden(client.get(FORM).text, "csrf")

    def body():  # sent in chunks, without a Content-Length
        yield f'--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'.encode()
        yield b'--x\r\nContent-Disposition: form-data; name="table"; filename="a.csv"\r\n\r\n'
        for _ in range(50):
            yield b"0" * (1024 * 1024)

    response = client.post(FORM, content=body(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 413
    assert not (folder / AFFAIRS / "2026-q3-dibao.xlsx").exists()
    assert (folder / AFFAIRS / "2026-q3-dibao.csv").read_bytes() == (ROOT / AFFAIRS / "2026-q3-dibao.csv").read_bytes()


def test_a_record_removed_since_the_form_was_opened_is_not_written_back_unasked(folder: Path) -> None:
    client = _client(folder)
    answers = _answers(client.get(FORM).text)
    (folder / DIBAO).unlink()
    response = client.post(FORM, data=answers, follow_redirects=False)
    assert response.status_code == 409 and "没有保存" in response.text
    assert not (folder / DIBAO).exists()


def test_a_new_record_with_a_number_already_taken_is_refused_and_the_old_one_kept(folder: Path) -> None:
    client = _client(folder)
    before = (folder / DIBAO).read_bytes()
    answers = _answers(client.get("/r/hekou/2026/affairs/new").text) | {"record_id": Path(DIBAO).stem}
    response = client.post("/r/hekou/2026/affairs/new", data=answers, follow_redirects=False)
    assert response.status_code == 409 and "这个编号已经有一条记录了" in response.text
    assert (folder / DIBAO).read_bytes() == before


def test_a_step_of_a_decision_is_written_in_its_own_labelled_boxes(folder: Path) -> None:
    """A nested part (办理步骤 › 村“两委”会商议) is a heading and boxes, not YAML: what the clerk
    types lands under its key, the part made when first written, the rest of the file as it was."""
    path = next((folder / "content/hekou/2026/decisions").glob("*.yml"))
    address = f"/r/hekou/2026/decisions/{path.stem}"
    client = _client(folder)
    page = client.get(address).text
    assert "<h3>办理步骤" in page and "<h3>村“两委”会商议" in page
    assert 'name="steps.proposed.date"' in page
    before = path.read_text(encoding="utf-8")
    answers = _answers(page)
    answers["steps.proposed.present"] = "4"
    assert client.post(address, data=answers, follow_redirects=False).status_code == 303
    after = path.read_text(encoding="utf-8")
    changed = [(old, new) for old, new in zip(before.splitlines(), after.splitlines()) if old != new]
    assert len(changed) == 1 and changed[0][1].strip() == "present: 4"


def test_a_record_that_cannot_be_read_is_still_found_with_its_error(folder: Path) -> None:
    path = folder / DIBAO
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-07-10", "date: 2026年13月10日"), encoding="utf-8")
    client = _client(folder)
    page = client.get("/v/hekou/2026").text
    line = page[page.index(f'<a href="{FORM}">'):]
    assert "1 个错误" in line[:line.index("</li>")]
    form = client.get(FORM).text
    beside = form[form.index('id="field-date"'):form.index('id="field-posted_until"')]
    assert 'value="2026年13月10日"' in beside and "看不懂" in beside  # the error beside its field


def test_a_body_written_in_word_is_uploaded_and_its_problems_shown_with_the_form(folder: Path) -> None:
    client = _client(folder)
    answers = _answers(client.get(FORM).text) | {"body": ""}
    for name, data in (("通知.doc", b"\xd0\xcf\x11\xe0"), ("通知.docx", b"<html>not Word</html>")):
        assert client.post(FORM, data=answers, files={"word": (name, data)}, follow_redirects=False).status_code == 415
    assert not (folder / AFFAIRS / "2026-q3-dibao.docx").exists()
    word = notice_docx(folder / "upload.docx", "标题", [("p", "名单如下。"), ("p", f"经办人身份证号 {resident_id('43052419650312761')}。")])
    response = client.post(FORM, data=answers, files={"word": ("低保公示.docx", word.read_bytes())})
    assert response.status_code == 200 and (folder / AFFAIRS / "2026-q3-dibao.docx").read_bytes() == word.read_bytes()
    assert "正文现在用的是 Word 文件 2026-q3-dibao.docx" in response.text
    assert "名单如下" not in (folder / DIBAO).read_text(encoding="utf-8") and "只能留一处" not in response.text
    # Word has no lines: the problem names the paragraph, shown with the record's form.
    assert "Word 文件第 3 段有完整的身份证号码" in response.text
