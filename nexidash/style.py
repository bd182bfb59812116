"""The house style as code: how each language writes signs, percentages, dates, amounts, names
and terms (STYLE.md says it in words, with examples).

The formatters (fmt.py, tables.py) apply these rules when they write a figure; `check` finds a
text that breaks them, and tests/test_style.py runs it over every page of both editions. A
rule names the kinds of text it applies to: `prose` (sentences: paragraphs, bullets, captions,
summaries, notes, help), `heading` (page, section and chart titles, navigation), `label`
(table headers, metric labels, control labels) and `cell` (table cells, metric values).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

PROSE, HEADING, LABEL, CELL = "prose", "heading", "label", "cell"
KINDS = (PROSE, HEADING, LABEL, CELL)
TEXT = frozenset({PROSE, HEADING})  # where a reader reads words, not a grid of figures
ALL = frozenset(KINDS)

PERCENT = {"ja": "％", "en": "%"}
# The report's minus: △ in Japanese (▲ means minus too in Japanese finance, so a rise is never
# marked with it); an ASCII hyphen-minus in English.
MINUS = {"ja": "△", "en": "-"}
# The direction mark beside a metric's change: neutral arrows, never ▲/▼.
DELTA_MARK = {True: "↑", False: "↓"}

_MONTHS_EN = ("", "January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def percent(lang: str) -> str:
    return PERCENT["en" if lang == "en" else "ja"]


def signed(body: str, negative: bool, lang: str, plus: bool = True) -> str:
    """A signed figure: △1.2％ / -1.2%, and +1.2％ / +1.2% for a rise (with `plus`)."""
    if negative:
        return MINUS["en" if lang == "en" else "ja"] + body
    return ("+" if plus else "") + body


def direction(delta: str | None) -> int | None:
    """Which way a signed figure points: 1 up, -1 down (a leading △ or -), 0 for zero, None for
    no figure. Streamlit reads only a leading "-"; the renderers ask here instead."""
    if not delta or not str(delta).strip():
        return None
    text = str(delta).strip()
    if text[0] in "△-−":
        return -1
    digits = re.sub(r"[^\d]", "", text)
    return 0 if digits and not digits.strip("0") else 1


def month(year: int, mon: int, lang: str, end: bool = False) -> str:
    """A month as each language writes it: 2024年12月 / December 2024; at its end (a balance
    date) 2025年3月末 / 31 March 2025."""
    year, mon = int(year), int(mon)
    if lang == "en":
        if end:
            return f"{calendar.monthrange(year, mon)[1]} {_MONTHS_EN[mon]} {year}"
        return f"{_MONTHS_EN[mon]} {year}"
    return f"{year}年{mon}月" + ("末" if end else "")


def iso_month(text: str, lang: str, end: bool = False) -> str:
    """A month stored as 2024-12 (or a date 2024-12-31), written for a reader."""
    parts = str(text).split("-")
    return month(int(parts[0]), int(parts[1]), lang, end=end)


# English names read with "the" inside a sentence (the United States, the Middle East). The
# tables keep the bare name for lists and labels; a sentence takes it through en_name().
EN_ARTICLE = ("United States", "United Kingdom", "United Arab Emirates", "Philippines",
              "Netherlands", "Middle East", "Czech Republic", "Democratic Republic of the Congo",
              "DR Congo", "Republic of the Congo", "Dominican Republic", "Central African Republic",
              "Bahamas", "Gambia", "Maldives", "Comoros", "Marshall Islands", "Solomon Islands",
              "Falkland Islands", "Cayman Islands", "Caribbean", "European Union", "Americas",
              "Gulf States")
_ARTICLE_RE = "|".join(re.escape(n) for n in sorted(EN_ARTICLE, key=len, reverse=True))


def en_name(name: str, start: bool = False) -> str:
    """An English country or region name as it enters a sentence: "the Philippines" (with
    `start`, "The Philippines" at the head of a sentence); a name without article unchanged."""
    name = str(name)
    # The name itself, or the name with a qualifier: "Middle East (incl. Türkiye)".
    if re.match(rf"(?:{_ARTICLE_RE})(?:$| \()", name):
        return ("The " if start else "the ") + name
    return name


def name_in_sentence(name: str, lang: str, start: bool = False) -> str:
    """A name from a table's name_ja/name_en, ready for a sentence of that language."""
    return en_name(name, start) if lang == "en" else str(name)


def countries_word(iso3s, lang: str, plural: bool = True) -> str:
    """国 / countries, or 国・地域 / countries and territories where Taiwan, Hong Kong or Macao
    is among those counted."""
    territories = {"TWN", "HKG", "MAC"} & {str(c) for c in iso3s}
    if lang == "en":
        if territories:
            return "countries and territories" if plural else "country or territory"
        return "countries" if plural else "country"
    return "国・地域" if territories else "国"


# The report's Japanese terms: canonical form -> variants that must not appear (regexes). Every
# canonical form is printed in the report (tests/test_style.py checks it against the text).
TERMS_JA = {
    "One-Stop-Shop再保険": [r"ワンストップ・?ショップ再保険", r"OSS再保険", r"ワンストップ再保険"],
    "LEAD案件": [r"LEADプロジェクト"],
    "異常危険準備金": [r"異常危険積立金", r"異常危険引当金", r"カタストロフィ準備金"],
    "正味収入保険料": [r"純収入保険料", r"正味受取保険料"],
    "支払保険金": [r"保険金支払額", r"支払い保険金"],
    "中堅・中小企業": [r"中小・中堅企業"],
}
# Navigation and headings name the report's breakdowns as it does: 保険種別, 地域別.
TERMS_JA_HEADING = {
    "保険種別": [r"^保険種$"],
    "地域別": [r"^地域$"],
}
TERMS_EN = {
    "Türkiye": [r"\bTurkey\b"],
    "catastrophe reserve": [r"\bcontingency(?: \(catastrophe\))? reserves?\b",
                            r"\babnormal risk reserves?\b", r"\bextraordinary risk reserves?\b"],
    "underwriting reserves": [r"(?<!insurance )\bpolicy reserves?\b"],
    "premiums written": [r"\bpremiums (?:it|NEXI) earned\b", r"\bearned premiums?\b"],
    "One-Stop-Shop reinsurance": [r"\bOSS reinsurance\b", r"\bone[- ]stop shop\b"],
}


@dataclass(frozen=True)
class Rule:
    code: str
    lang: str  # "ja", "en" or "*"
    pattern: re.Pattern
    kinds: frozenset
    says: str


def _r(code, lang, pattern, kinds, says, flags=0):
    return Rule(code, lang, re.compile(pattern, flags), frozenset(kinds), says)


# A number: digits with thousands commas and decimals.
_NUM = r"\d[\d,]*(?:\.\d+)?"
_MONTH_NAMES = "|".join(_MONTHS_EN[1:])
# Proper names and acronyms an English heading keeps capitalised (names from the data tables
# are added by the page scan; see `heading_case`).
EN_PROPER = {"NEXI", "LEAD", "SME", "SMEs", "FY", "Japan", "Japan's", "Japanese", "OECD",
             "ESG", "CSV", "PDF", "PNG", "SVG", "ZIP", "PowerPoint", "Annual", "Report", "I",
             "GX", "JBIC", "ECA", "ECAs", "L/C", "Paris", "Club", "US", "EU", "Tokyo", "Osaka",
             "One-Stop-Shop", "Natural", "Earth", "Türkiye", "Asia", "Europe", "Africa",
             "Oceania", "America", "Middle", "East", "North", "South", "Central", "Latin"}

EN_PROPER |= {w for name in EN_ARTICLE for w in name.split()}

RULES = (
    _r("pct_ja", "ja", r"(?<![%=?&/])%(?![0-9A-Fa-f]{2}|\{)", ALL,
       "Japanese uses the full-width ％"),
    _r("pct_en", "en", r"％", ALL, "English uses the ASCII %"),
    _r("black_triangle", "*", r"[▲▼]", ALL,
       "▲ means minus in Japanese finance: never use it (△ for a negative number)"),
    _r("triangle_plus", "*", r"[△▲]\s*\+|\+\s*[△▲]", ALL, "a sign is △ or +, never both"),
    _r("triangle_en", "en", r"△", ALL, "English writes a negative number with -"),
    _r("minus_ja", "ja", rf"(?<![\w\d)\]）.,/~〜-])[-−](?=\s?{_NUM})", ALL,
       "Japanese writes a negative number with △"),
    _r("sign_and_word_ja", "ja", rf"[△+＋▲]\s?{_NUM}\s?(?:％|%|ポイント|pt|倍)?\s?[増減]", ALL,
       "a change in prose is N％増 / N％減, not a signed figure with 増/減"),
    _r("sign_and_word_ja", "ja", r"[増減]\s?[（(][△+＋▲]", {PROSE},
       "one way per change: 約449億円増（5.9％増）, not 約449億円増（+5.9％）"),
    _r("signed_prose_ja", "ja", rf"(?:比|で|は|、)\s?[△+＋]{_NUM}\s?(?:％|%)", {PROSE},
       "in a Japanese sentence a change reads N％増 / N％減"),
    _r("iso_date_ja", "ja", r"(?<![\d-])(?:19|20)\d\d-(?:0?[1-9]|1[0-2])(?:-\d\d)?(?![\d-])",
       {PROSE, HEADING, LABEL}, "Japanese dates are 2024年12月 / 2025年3月末"),
    _r("iso_date_en", "en", r"(?<![\d-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-\d\d)?(?![\d-])",
       {PROSE, HEADING, LABEL}, "English dates are December 2024 / 31 March 2025"),
    _r("us_date_en", "en", rf"\b(?:{_MONTH_NAMES}) \d{{1,2}}, \d{{4}}\b", ALL,
       "English dates are day month year: 31 March 2025"),
    _r("hyakuman_ja", "ja", rf"{_NUM}\s?百万円", {PROSE, HEADING, CELL},
       "a Japanese amount reads 万円 / 億円 / 兆円 (百万円 only as a table's unit)"),
    # An address ("Dubai, United Arab Emirates") keeps the bare name.
    _r("article_en", "en", rf"(?<!the )(?<!The )(?<!THE )(?<!, )(?<!: )\b(?:{_ARTICLE_RE})\b",
       {PROSE, HEADING},
       "this name takes 'the' in a sentence (style.en_name)"),
)


def _term_rules():
    out = []
    for canon, variants in TERMS_JA.items():
        for v in variants:
            out.append(_r("term_ja", "ja", v, ALL, f"the report's term is {canon}"))
    for canon, variants in TERMS_JA_HEADING.items():
        for v in variants:
            out.append(_r("term_ja", "ja", v, {HEADING}, f"the report's term is {canon}"))
    for canon, variants in TERMS_EN.items():
        for v in variants:
            out.append(_r("term_en", "en", v, ALL, f"the term is {canon}", re.IGNORECASE))
    return tuple(out)


TERM_RULES = _term_rules()


@dataclass(frozen=True)
class Finding:
    code: str
    text: str
    match: str
    says: str


def heading_case(text: str, proper=frozenset()) -> str | None:
    """The first word after the first that is capitalised but is no proper name or acronym: an
    English heading is in sentence case ("Claims paid by region")."""
    # A capital right after a colon starts a label ("Members: All"): sentence case allows it.
    words = re.findall(r"(?<!: )[A-Za-zÀ-ÿ][\w'’/.-]*", text)
    for word in words[1:]:
        bare = word.rstrip(".'’s") if word.endswith(("'s", "’s")) else word.rstrip(".")
        if word[0].isupper() and not word.isupper() and word not in EN_PROPER \
                and bare not in EN_PROPER and word not in proper and bare not in proper:
            return word
    return None


def check(text: str, lang: str, kind: str = PROSE, proper=frozenset()) -> list[Finding]:
    """What in `text` (of `lang`, of `kind`) breaks a rule."""
    if not text:
        return []
    found = []
    for rule in RULES + TERM_RULES:
        if rule.lang not in ("*", lang) or kind not in rule.kinds:
            continue
        if rule.code == "article_en" and text.strip() in EN_ARTICLE:
            continue  # a bare name standing alone is a label, not a sentence
        for m in rule.pattern.finditer(text):
            found.append(Finding(rule.code, text, m.group(0), rule.says))
    if lang == "en" and kind == HEADING:
        word = heading_case(text, proper)
        if word:
            found.append(Finding("heading_case_en", text, word,
                                 "English headings are in sentence case"))
    return found
