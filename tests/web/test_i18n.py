"""The UI's two languages say the same things."""
from __future__ import annotations

from veille.web.pages import UI_LANGUAGES, ui_text


def test_every_ui_string_is_in_both_languages():
    keys = [set(ui_text(language)) for language in UI_LANGUAGES]
    assert keys[0] == keys[1] and len(keys[0]) > 50
