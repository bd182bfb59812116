"""The interface text: both languages complete, and every key the code asks for exists."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from nexidash import i18n  # noqa: E402

CATALOGUES = {lang: i18n.catalogue(lang) for lang in i18n.LANGS}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_same_keys_in_both_languages():
    """Test that no key exists in one language only."""
    ja, en = set(CATALOGUES["ja"]), set(CATALOGUES["en"])
    assert not ja - en, f"only in ja: {sorted(ja - en)}"
    assert not en - ja, f"only in en: {sorted(en - ja)}"


def test_topic_catalogues_come_in_pairs():
    """Test that every topic catalogue exists in both languages and adds keys of its own only."""
    topics = {lang: {p.name.removesuffix(f".{lang}.json") for p in i18n.files(lang)[1:]}
              for lang in i18n.LANGS}
    assert topics["ja"] == topics["en"]
    for lang in i18n.LANGS:
        seen: set = set()
        for path in i18n.files(lang):
            keys = set(json.loads(path.read_text("utf-8")))
            assert not keys & seen, (path.name, sorted(keys & seen))
            seen |= keys


def test_no_empty_or_untranslated_text():
    """Test that every English string is free of Japanese script and none is empty."""
    for lang, cat in CATALOGUES.items():
        assert all(v.strip() for v in cat.values()), lang
    leaked = {k: v for k, v in CATALOGUES["en"].items() if JAPANESE.search(v)}
    assert not leaked, leaked


# Where one language words a value differently: 前年度比 needs no year, "from FY2023" does.
PLACEHOLDER_EXCEPTIONS = {f"press.s.{m}": {"prev"} for m in
                          ("underwriting", "premium", "claims_paid", "recoveries")}
# A Japanese date needs no month name (2025年3月末現在), nor the day when it is a month's end.
PLACEHOLDER_EXCEPTIONS |= {"ui.as_of_month_end": {"day", "month", "month_name"},
                           "ui.as_of_day": {"month", "month_name"},
                           "data.date": {"month", "month_name"}}


def test_placeholders_match():
    """Test that both languages use the same {placeholders} for every key."""
    field = re.compile(r"\{(\w+)\}")
    for key, ja in CATALOGUES["ja"].items():
        diff = set(field.findall(ja)) ^ set(field.findall(CATALOGUES["en"][key]))
        assert diff <= PLACEHOLDER_EXCEPTIONS.get(key, set()), (key, diff)


def test_every_literal_key_used_exists():
    """Test that every t("key") literal in the pages and frame is in the catalogue."""
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("nexidash/*.py")]:
        used |= set(re.findall(r"\bt\(\"([a-z_]+\.[a-z0-9_.]+)\"\s*[,)]", path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in CATALOGUES["ja"])
    assert not missing, missing


def test_every_code_has_a_label():
    """Test that codes shown through dynamic keys (products, elements, types) have labels."""
    import csv
    products = [r["product"] for r in csv.DictReader(open(ROOT / "data/tables/products.csv",
                                                          encoding="utf-8"))]
    needed = [f"product.desc.{p}" for p in products]
    needed += [f"element.{e}" for e in ("leading_tech", "environment_energy", "alliance",
                                        "development")]
    needed += [f"agreement.{a}" for a in ("one_stop_shop", "short_term_reinsurance",
                                          "private_reinsurance", "cooperation")]
    needed += [f"measure.{m}" for m in ("underwriting", "outstanding", "premium",
                                        "claims_paid", "recoveries")]
    assert [k for k in needed if k not in CATALOGUES["ja"]] == []
