"""Personal numbers: full ID, mobile and bank card numbers are found; other numbers are left alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.domain.privacy import NumberKind, find_personal_numbers, id_checksum_ok, mask
from generator.domain.settings import Masking
from tests.unit._support import luhn_broken, luhn_complete, resident_id, resident_id_ending, with_wrong_check

ID_A = resident_id("43052119800101123")
ID_B = resident_id("11010519491231002")
ID_X = resident_id_ending("X")
ID_618 = resident_id_ending("618")
CARD_19 = luhn_complete("622202100112345678")
CARD_16 = luhn_complete("621700123456789")


def _found(text: str) -> list[tuple[NumberKind, str]]:
    return [(found.kind, found.text) for found in find_personal_numbers(text)]


def test_generated_ids_are_what_the_tests_think_they_are():
    assert all(len(number) == 18 for number in (ID_A, ID_B, ID_X, ID_618))
    assert ID_X.endswith("X") and ID_618.endswith("618")
    assert all(id_checksum_ok(number) for number in (ID_A, ID_B, ID_X, ID_618))
    assert not id_checksum_ok(with_wrong_check(ID_A))


# -- found -----------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [ID_A, ID_B, ID_X, ID_618])
def test_checksum_valid_resident_id_is_found(number):
    assert _found(f"低保户张三，身份证号{number}，二组。") == [(NumberKind.ID, number)]
    assert _found(number) == [(NumberKind.ID, number)]


def test_lowercase_x_check_character_is_found():
    lower = ID_X[:17] + "x"
    assert _found(f"身份证：{lower}") == [(NumberKind.ID, lower)]


def test_old_15_digit_id_is_found():
    assert _found("身份证 430521800101123") == [(NumberKind.ID, "430521800101123")]


@pytest.mark.parametrize(("text", "number"), [
    ("13812341234", "13812341234"),
    ("联系电话：13812341234。", "13812341234"),
    ("+86 138 1234 1234", "138 1234 1234"),
    ("+86-138-1234-1234", "138-1234-1234"),
    ("+8613812341234", "13812341234"),
    ("138-1234-1234", "138-1234-1234"),
    ("手机 199 0739 5521", "199 0739 5521"),
])
def test_mobile_numbers_are_found_however_they_are_written(text, number):
    assert _found(text) == [(NumberKind.MOBILE, number)]


@pytest.mark.parametrize("card", [CARD_19, CARD_16, "6222 0210 0112 3456 " + CARD_19[16:],
                                  "-".join([CARD_16[0:4], CARD_16[4:8], CARD_16[8:12], CARD_16[12:]])])
def test_luhn_valid_bank_cards_are_found(card):
    assert _found(f"补贴打入一卡通 {card}") == [(NumberKind.BANK, card)]


def test_several_numbers_in_one_text_are_all_found():
    text = f"张三 {ID_A} 13812341234；李四 {ID_B} 13987654321；卡号 {CARD_19}"
    found = _found(text)
    assert sorted(found) == sorted([(NumberKind.ID, ID_A), (NumberKind.ID, ID_B),
                                    (NumberKind.MOBILE, "13812341234"), (NumberKind.MOBILE, "13987654321"),
                                    (NumberKind.BANK, CARD_19)])


@pytest.mark.parametrize("text", ["联系电话：１３８１２３４１２３４", "身份证号：" + ID_A.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))])
def test_numbers_in_full_width_digits_are_found(text):
    assert len(find_personal_numbers(text)) == 1


# -- not found -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "值班电话 0739-5521234",
    "值班电话 07395521234",
    "值班电话（0739）5521234",
    "报警 110，火警 119",
    with_wrong_check(ID_A),
    with_wrong_check(ID_X),
    "430521801301123",                 # 15 digits, month 13: not a date of birth
    "收入 12,300.50 元",
    "期末余额 1234567.89",
    "凭证号 记-001",
    "凭证号 记-2025-0301",
    "凭证号 202503010001",
    "2025-03-01",
    "20250301",
    "2025年3月1日",
    "138****1234",
    "43*************618",
    luhn_broken("621700123456789"),
    "第1380号文件",
])
def test_ordinary_numbers_are_not_personal(text):
    assert _found(text) == []


def test_an_id_is_not_also_taken_for_a_bank_card():
    # Many ID numbers happen to pass the Luhn check too; they are IDs.
    for number in (ID_A, ID_B, ID_X, ID_618):
        assert {kind for kind, _ in _found(number)} == {NumberKind.ID}


# -- masking ---------------------------------------------------------------------------------

def test_default_masks_are_the_documented_formats():
    masking = Masking()
    assert mask("13812341234", masking.mobile_start, masking.mobile_end) == "138****1234"
    assert mask(ID_618, masking.id_start, masking.id_end) == "43*************618"
    assert mask(CARD_19, masking.bank_start, masking.bank_end) == "*" * 15 + CARD_19[-4:]


def test_mask_drops_spaces_and_dashes_of_the_number():
    assert mask("138 1234 1234", 3, 4) == "138****1234"
    assert mask("138-1234-1234", 3, 4) == "138****1234"


@pytest.mark.parametrize(("text", "start", "end"), [
    ("13812341234", 6, 6), ("13812341234", 7, 4), ("12345", 3, 4), ("1234", 3, 4), ("123", 0, 0),
    ("430521800101123", 6, 4), (ID_A, 6, 4), ("13812341234", 0, 0),
])
def test_mask_always_hides_at_least_four_characters(text, start, end):
    masked = mask(text, start, end)
    assert_masked_form(text, masked)


def assert_masked_form(text: str, masked: str) -> None:
    """`masked` is the number's start, then at least four stars, then its end; nothing else."""
    assert len(masked) == len(text)
    match = re.fullmatch(r"([^*]*)(\*+)([^*]*)", masked)
    assert match, masked
    head, stars, tail = match.groups()
    assert len(stars) >= min(4, len(text))
    assert text.startswith(head) and text.endswith(tail)


# -- the scan looks only at runs of number characters: it finds what a scan of the whole text finds

def _whole_text_scan(text: str) -> list[tuple[NumberKind, str]]:
    """The patterns run over the whole folded text, as the scan did before it looked at runs."""
    from generator.domain import privacy

    return [(found.kind, found.text) for found in privacy._numbers_in(text)]


_NUMBER_CHARS = "0123456789０１２３４５６７８９Xxｘ+＋ -－–—\u3000\u00a0年号：a*"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([ID_A, ID_X, CARD_19, CARD_16, "13812341234", "+86 139-8765-4321",
                                           "１３８１２３４１２３４", "0739-5521234"]),
                          st.text(alphabet=_NUMBER_CHARS, max_size=25)), max_size=8))
def test_the_scan_by_runs_finds_what_a_whole_text_scan_finds(pieces):
    text = "".join(pieces)
    assert sorted(_found(text)) == sorted(_whole_text_scan(text))
