"""The desk shows a record's photos (issue 24) beside its form, from its folder, and nothing else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from tests.desk.test_desk_http import _client, folder  # noqa: F401  (the fixture: a copy of the demo)

FORM = "/r/hekou/2026/affairs/2026-11-tailwater-acceptance"
PHOTOS = "content/hekou/2026/affairs/2026-11-tailwater-acceptance"


def test_a_records_form_shows_the_photos_of_its_folder_and_nothing_else(folder: Path) -> None:  # noqa: F811
    client = _client(folder)
    html = client.get(FORM).text
    for name in ("公示栏.jpg", "公示原件.jpg"):
        address = f"{FORM}/photos/{quote(name)}"
        assert f'src="{address}"' in html
        answer = client.get(address)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
        assert answer.content == (folder / PHOTOS / name).read_bytes()
    # The record's YAML beside the folder, a file that is not a photo, a path out: not served.
    for name in ("..%2F2026-11-tailwater-acceptance.yml", "%2E%2E", "missing.jpg"):
        assert client.get(f"{FORM}/photos/{name}").status_code == 404, name
    (folder / PHOTOS / "notes.txt").write_text("x", encoding="utf-8")
    assert client.get(f"{FORM}/photos/notes.txt").status_code == 404


def test_a_problem_with_a_photo_file_leads_to_its_records_form(folder: Path) -> None:  # noqa: F811
    from generator.inputs.problems import Location, Problem
    from generator.tools.desk.records import address_of

    problem = Problem(Location(str(folder / PHOTOS / "公示栏.jpg")), "photo_unreadable", {"name": "公示栏.jpg"})
    assert address_of(problem, folder / "content") == FORM
