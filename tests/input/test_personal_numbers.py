"""Personal numbers: fields that hold one are masked as they are read, per the settings; a full
number anywhere else (a list's header, a record's file name) is a located error."""

from __future__ import annotations

from types import SimpleNamespace

from pydantic import BaseModel

from generator.domain.privacy import DEFAULT_MASKING, NumberKind, mask_numbers
from generator.domain.kinds.fields import BankAccount, PhoneNumber, ResidentId
from generator.domain.settings import Masking
from tests.unit._support import luhn_complete, resident_id

ID = resident_id("43052119800101123")
CARD = luhn_complete("622202100112345678")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class Beneficiary(BaseModel):
    """What a kind with a beneficiary list declares (e.g. a subsidy list with fixed columns)."""

    id_number: ResidentId = ""
    phone: PhoneNumber = ""
    account: BankAccount = ""


def test_the_defaults_are_the_settings_defaults():
    assert DEFAULT_MASKING.__dict__ == Masking().model_dump()


def test_personal_number_fields_are_masked_as_they_are_read():
    row = Beneficiary.model_validate({"id_number": ID, "phone": "13807391234", "account": CARD})
    assert row.id_number == ID[:2] + "*" * 13 + ID[-3:]
    assert row.phone == "138****1234"
    assert row.account == "*" * (len(CARD) - 4) + CARD[-4:]


def test_personal_number_fields_follow_the_village_settings():
    masking = Masking(id_start=6, id_end=0, mobile_start=0, mobile_end=2)
    row = Beneficiary.model_validate({"id_number": ID, "phone": "13807391234"}, context={"masking": masking})
    assert row.id_number == ID[:6] + "*" * 12
    assert row.phone == "*********34"


def test_whatever_is_in_a_number_field_is_masked():
    # A number with a wrong check digit, full-width digits, a landline: the field is personal.
    wrong = ID[:17] + ("1" if ID[17] != "1" else "2")
    row = Beneficiary.model_validate({"id_number": wrong, "phone": "１３８０７３９１２３４"})
    assert row.id_number.count("*") >= 12
    assert row.phone == "１３８****１２３４"
    assert Beneficiary.model_validate({"phone": "0739-5521386"}).phone == "073****1386"
    assert Beneficiary.model_validate({"phone": "无"}).phone == "无"


def test_mask_numbers_leaves_other_text_alone():
    keep = SimpleNamespace(**DEFAULT_MASKING.__dict__)
    assert mask_numbers("王建国 2人 860.00元", None, keep) == "王建国 2人 860.00元"
    assert mask_numbers(f"身份证 {ID}，电话 13807391234", None, keep) == (
        f"身份证 {ID[:2]}{'*' * 13}{ID[-3:]}，电话 138****1234")
    assert mask_numbers("13807391234".translate(FULL_WIDTH), NumberKind.MOBILE, keep).count("*") == 4


NOTICE = """title: 低保名单公示
date: 2025-03-12
posted_until: 2025-03-19
category: 低保救助
"""


def test_a_full_number_as_a_list_header_is_located_in_the_table(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE)
    portal.record(2025, "affairs", "a.csv", "姓名,13807391234\n张三,1\n")
    [problem] = portal.check().problems.errors
    assert (problem.location.path, problem.location.column, problem.key) == (
        "content/testv/2025/affairs/a.csv", "13807391234", "personal_number")


def test_full_width_numbers_in_a_body_stop_the_build(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE + "body: 联系人电话 " + "13807391234".translate(FULL_WIDTH) + "\n")
    [problem] = portal.check().problems.errors
    assert (problem.location.path, problem.location.line, problem.key) == (
        "content/testv/2025/affairs/a.yml", 5, "personal_number")
