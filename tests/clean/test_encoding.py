"""Bytes become the right text whatever their encoding, and mojibake is repaired."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veille.clean.encoding import decode_bytes, repair_text

FRENCH = "Le général a reçu « l’aide » promise : 12 € à Noël, déjà ôtée."


@pytest.mark.parametrize("data", [
    FRENCH.encode("utf-8"),
    codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
    codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
    FRENCH.encode("cp1252"),
])
def test_french_survives_every_encoding(data):
    assert decode_bytes(data) == FRENCH


def test_declared_charset_is_used_when_utf8_fails():
    russian = "Министр иностранных дел России принял вчера ливийского военачальника."
    page = f'<html><head><meta charset="koi8-r"></head><body>{russian}</body></html>'
    assert russian in decode_bytes(page.encode("koi8-r"))


def test_cyrillic_legacy_bytes_are_not_read_as_latin():
    russian = "Министр иностранных дел России принял вчера ливийского военачальника в Москве."
    assert decode_bytes(russian.encode("cp1251")) == russian


def test_mislabelled_utf8_page_is_read_as_utf8():
    page = f'<html><head><meta charset="windows-1252"></head><body>{FRENCH}</body></html>'
    assert FRENCH in decode_bytes(page.encode("utf-8"))


def test_mojibake_is_repaired_and_typographic_quotes_kept():
    broken = FRENCH.encode("utf-8").decode("cp1252")
    assert repair_text(broken) == FRENCH
    assert repair_text("« Nos relations » – “quoted” l’aide") == "« Nos relations » – “quoted” l’aide"


def test_text_is_normalised_to_nfc():
    assert repair_text("e\u0301te\u0301") == "été"


@given(st.text())
def test_utf8_round_trips(text):
    assert decode_bytes(text.encode("utf-8", "surrogatepass")) == text or "\ud800" <= max(text, default="a")
