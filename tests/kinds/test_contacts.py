"""村务监督联系方式: the demo's record broken one rule at a time; a mobile number is masked (and a
finding says it cannot be dialled), an office line published as written; the supervision phone
in the footer of every kind of page and at the end of every printed bulletin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.builder import Portal
from tests.conftest import ROOT

AS_OF = date(2026, 11, 25)
DEMO = (ROOT / "content/hekou/2026/contacts/2026-supervision-contacts.yml").read_text(encoding="utf-8")
PATH = "content/testv/2026/contacts/2026-supervision-contacts.yml"
PHONE = "0739-5521386"


def contacts(portal: Portal, text: str = DEMO):
    portal.files({PATH: text})
    checked = portal.check(AS_OF)
    record = next(r for r in checked.villages[0].records if r.section == "contacts")
    return checked, record


def test_the_demo_record_passes_and_masks_only_the_supervisors_mobile(portal):
    checked, record = contacts(portal)
    assert [p.key for p in checked.problems] == []
    assert record.hotlines[0].tel == PHONE and record.hotlines[0].dial == "07395521386"
    assert [s.tel for s in record.supervisors if s.tel] == ["139****1846"]


def test_a_mobile_number_as_a_supervision_line_is_masked_and_a_finding(portal):
    checked, record = contacts(portal, DEMO.replace(f"tel: {PHONE}", "tel: 139 7592 1846", 1))
    assert record.hotlines[0].tel == "139****1846" and record.hotlines[0].dial == ""
    found = [p for p in checked.problems if p.key == "contacts_line_masked"]
    assert len(found) == 1 and not checked.problems.errors
    assert found[0].location.line == record.source.document.line_of("hotlines.0.tel")
    assert "13975921846" not in portal.page("contacts", "2026-supervision-contacts")


def test_a_line_without_a_number_is_an_error(portal):
    checked, record = contacts(portal, DEMO.replace(f"tel: {PHONE}", "tel: 村部值班室", 1))
    assert [(p.key, p.location.line) for p in checked.problems.errors] == [
        ("contacts_line_no_number", record.source.document.line_of("hotlines.0.tel"))]


def test_the_latest_record_by_the_years_end_is_the_footer(portal):
    newer = DEMO.replace("date: 2026-01-21", "date: 2026-06-01").replace(PHONE, "0739-5529999")
    portal.files({"content/testv/2026/contacts/2026-06-new-line.yml": newer,
                  "content/testv/2027/contacts/2027-line.yml": newer.replace("2026-06-01", "2027-01-05").replace("5529999", "5520000")})
    contacts(portal)
    record_page = portal.page("contacts", "2026-supervision-contacts", year=2026)
    end = record_page.split('class="vp-print-only vp-bulletin-end"')[1]
    assert "0739-5529999" in end and "0739-5520000" not in end and PHONE not in end


def test_every_page_of_the_demo_shows_the_supervision_phone_and_every_bulletin_prints_it(demo_out: Path):
    year = demo_out / "hekou" / "2026"
    footer = '<div class="vp-contacts">'
    for page in (year / "index.html", year / "finance" / "index.html", year / "decisions" / "2026-tailwater" / "index.html",
                 year / "print" / "index.html"):
        html = page.read_text(encoding="utf-8")
        shown = html.split('<footer class="md-footer">')[1]
        assert footer in shown and f'<a href="tel:07395521386">{PHONE}</a>' in shown, page
    record = (year / "decisions" / "2026-tailwater" / "index.html").read_text(encoding="utf-8")
    assert PHONE in record.split('vp-bulletin-end')[1].split("</footer>")[0]
    sheets = (year / "print" / "index.html").read_text(encoding="utf-8").split('<section class="vp-sheet">')[1:]
    assert sheets and all(footer in sheet for sheet in sheets)
    # liutang's pages carry liutang's line, not hekou's.
    other = (demo_out / "liutang" / "2026" / "index.html").read_text(encoding="utf-8")
    assert "0739-5536417" in other and PHONE not in other.split('<footer class="md-footer">')[1]
