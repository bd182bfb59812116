"""Interface text in Japanese and English, from JSON catalogues per language.

Translators edit `nexidash/i18n/ja.json` and `en.json`, and the topic catalogues beside them
(`<topic>.ja.json`, `<topic>.en.json`: a page or feature whose text is long enough to keep on
its own, such as the glossary). A language's catalogue is all of its files merged; a key in two
files, or in one language only, fails the tests. Pages never hold interface strings of their own.
"""

from __future__ import annotations

import json
from functools import cache

from . import paths

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"


def files(lang: str) -> list:
    """The catalogue files of one language: the main one first, then the topics by name."""
    return [paths.I18N_DIR / f"{lang}.json", *sorted(paths.I18N_DIR.glob(f"*.{lang}.json"))]


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in files(lang):
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path.name}: keys already defined in another catalogue: {twice}")
        merged.update(part)
    return merged


def translate(lang: str, key: str, **values) -> str:
    text = catalogue(lang if lang in LANGS else DEFAULT_LANG)[key]
    return text.format(**values) if values else text


def name_col(lang: str) -> str:
    """The column holding a row's name in this language (tables carry name_ja and name_en)."""
    return "name_en" if lang == "en" else "name_ja"
