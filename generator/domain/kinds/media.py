"""Photos and scans on a record (issue 24), declared once for every kind (`Record.photos`,
`Record.scans`): files in the record's own folder beside its YAML (inputs/attachments.py reads
them), each with a caption (a photo's alt text, read aloud to whoever cannot see it) and the name
of who looked at it. A picture or a scan cannot be searched for personal numbers as text is:
someone must look at it before it is published, and sign for it in `checked_by`.

    photos:
      - file: 公示栏.jpg
        caption: 3月5日张贴于村委会公示栏
        checked_by: 李会计

Another source of pictures (a Word notice's images, issue 24) makes `Photo`s of its own and
publishes their bytes through render/photos.py the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from generator.domain.kinds.fields import Part, Text
from generator.inputs.problems import Problem, Severity

if TYPE_CHECKING:
    from generator.domain.kinds.base import CheckContext, Record


# The fields that name files of the record's folder.
ATTACHMENT_FIELDS = ("photos", "scans")


class Photo(Part):
    """A photo of the record: the notice on the board (留痕), the site, the meeting."""

    file: Text  # its name in the record's folder
    # Both asked for with messages of their own (check_media), not pydantic's "field required".
    caption: Text = Field("", json_schema_extra={"asked": True})
    checked_by: Text = Field("", json_schema_extra={"asked": True}, examples=["李会计"])


class Scan(Part):
    """A scanned paper (signed minutes, a stamped decision) as a PDF in the record's folder."""

    file: Text
    caption: Text = Field("", json_schema_extra={"asked": True})
    checked_by: Text = Field("", json_schema_extra={"asked": True}, examples=["李会计"])


def record_folder(record: Record) -> str:
    """The record's folder as the clerk finds it: beside its YAML, named as its id."""
    path = record.source.location.path
    return path.rsplit(".", 1)[0] + "/"


def check_media(record: Record, context: CheckContext) -> None:
    """Every photo and scan names a file of the record's folder of the right sort, with a
    caption and the name of whoever looked at it; a file of the folder named by none is left
    unpublished, which the clerk is told."""
    attachments = {attachment.name: attachment for attachment in record.source.attachments}
    folder = record_folder(record)
    named = set()
    for field, items in (("photos", record.photos), ("scans", record.scans)):
        for index, item in enumerate(items):
            where = f"{field}.{index}"
            name = item.file
            if name in ("", ".", "..") or "/" in name or "\\" in name or ":" in name:
                context.report(record, f"{where}.file", "attachment_outside", name=name, folder=folder)
                continue
            named.add(name)
            attachment = attachments.get(name)
            if attachment is None:
                context.report(record, f"{where}.file", "attachment_missing", name=name, folder=folder)
            elif field == "photos" and not attachment.is_image:
                context.report(record, f"{where}.file", "photo_not_image", name=name)
            elif field == "scans" and not attachment.is_scan:
                context.report(record, f"{where}.file", "scan_not_pdf", name=name)
            if not item.caption:
                context.report(record, where, f"{field[:-1]}_caption_missing", name=name)
            if not item.checked_by:
                context.report(record, where, "attachment_not_checked", name=name)
    for name in sorted(set(attachments) - named):
        context.report(record, "photos", "attachment_not_listed", Severity.NOTE, name=name, folder=folder)
    _check_word_images(record, context)


def _check_word_images(record: Record, context: CheckContext) -> None:
    """The pictures of a body written in Word are photos too: each with a caption (its alt text
    in Word), and someone must have looked at them (`word_images_checked_by`)."""
    word = record.word
    if word is None or not word.images:
        return
    name = word.location.path.rsplit("/", 1)[-1]
    if not record.word_images_checked_by:
        context.report(record, "word_images_checked_by", "word_images_not_checked", name=name, count=len(word.images))
    for number, image in enumerate(word.images, 1):
        if not image.alt:
            context.problems.append(Problem(word.location, "word_image_caption_missing", {"number": number}))
