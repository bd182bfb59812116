"""Interface text in Japanese and English, from one JSON catalogue per language.

Translators edit `nexidash/i18n/ja.json` and `en.json`; a test fails when a key exists in one
language only. Pages never hold interface strings of their own.
"""

from __future__ import annotations

import json
from functools import cache

from . import paths

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"


@cache
def catalogue(lang: str) -> dict[str, str]:
    with open(paths.I18N_DIR / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


def translate(lang: str, key: str, **values) -> str:
    text = catalogue(lang if lang in LANGS else DEFAULT_LANG)[key]
    return text.format(**values) if values else text


def name_col(lang: str) -> str:
    """The column holding a row's name in this language (tables carry name_ja and name_en)."""
    return "name_en" if lang == "en" else "name_ja"
