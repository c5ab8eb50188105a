"""Phone numbers grouped for reading; what is copied still dials; the protocol's own
words decide how the numbers in a contact's phone text relate."""

from __future__ import annotations

import pytest

from setguide.base.phone import Part, digits, group, parts, readable


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("07788303718", "07788 303718"),
        ("07855515869", "07855 515869"),
        ("03330134258", "0333 013 4258"),
        ("033301 34258", "0333 013 4258"),
        ("01702 534300", "01702 534300"),
        ("01375652973", "01375 652973"),
        ("02079460000", "020 7946 0000"),
        ("01134960000", "0113 496 0000"),
        ("+447788303718", "+44 7788 303718"),
        ("101", "101"),
        ("999", "999"),
        ("4050", "4050"),
        ("0800 12", "0800 12"),  # not a whole number: as given
        ("ring me", "ring me"),
    ],
)
def test_group(given, shown):
    assert group(given) == shown
    assert digits(group(given)) == digits(given)  # only spaces change: it still dials


def test_every_packaged_phone_text_keeps_its_digits(data):
    for c in data.contacts.values():
        found = parts(c.phone_text)
        assert found, c.phone_text
        assert "".join(p.dial for p in found) == digits(c.phone_text)


def test_dial_then_ext_or_mobile_is_a_number_its_extension_and_another_number():
    assert parts("Dial: 101 then ext 203584 / 07855515869") == [
        Part("Phone", "101", "101"),
        Part("Extension", "203584", "203584"),
        Part("or phone", "07855 515869", "07855515869"),
    ]
    assert readable("Dial: 101 then ext 203584 / 07855515869") == "101, extension 203584, or phone 07855 515869"


def test_a_number_or_an_extension_is_one_number_and_an_extension():
    found = parts("01702 534300 or extension 4050")
    assert [(p.label, p.text) for p in found] == [("Phone", "01702 534300"), ("or extension", "4050")]
    assert found[1].is_extension and not found[0].is_extension


def test_two_extensions_of_one_line():
    assert [(p.label, p.text) for p in parts("101, extn 180022 or 180043")] == [
        ("Phone", "101"),
        ("Extension", "180022"),
        ("or extension", "180043"),
    ]


def test_two_numbers_one_after_the_other():
    assert [(p.label, p.text) for p in parts("07788303718 / 033301 34258")] == [
        ("Phone", "07788 303718"),
        ("or phone", "0333 013 4258"),
    ]


def test_numbers_whose_relation_is_not_written_are_left_as_written():
    assert parts("101 203584") == []
    assert readable("101 203584") == "101 203584"
    assert readable("no number here") == "no number here"
