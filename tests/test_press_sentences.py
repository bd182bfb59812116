"""The press sentences, fit to print: every FY2024 sentence in both languages, word for word.

The regional share of underwriting is of the regions' combined figures, never "the total": the
report's note 2 counts a policy in two regions. The expected text is typed in from the report's figures (保険引受実績 7,619,040 百万円 is
約7.6兆円; 回収金 約223億円, 前年度比18.5％減 as the report's own text says), not generated.
"""

from nexidash import press
from nexidash.view import View

EXPECTED = {
    "ja": [
        "2024年度の保険引受実績は約7.6兆円（前年度比4.6％減）となりました。",
        "2024年度末の保険責任残高は約15.5兆円（前年度末比10.2％減）となりました。",
        "2024年度の保険料収入は約317億円（前年度比46.5％減）となりました。",
        "2024年度の支払保険金は約1,151億円（前年度比312.3％増）となりました。",
        "2024年度の回収金は約223億円（前年度比18.5％減）となりました。",
        "地域別の保険引受実績ではアジア向けが約4.1兆円と最も大きく、地域別実績の合計の50.6％を占めました。",
        "地域別の支払保険金ではヨーロッパ向けが約1,070億円と最も大きく、全体の92.9％を占めました。",
        "保険料収入を保険種別にみると、貿易一般保険が約124億円と最も大きく、全体の39.3％を占めました。",
    ],
    "en": [
        "Underwriting in FY2024 was about ¥7.6 trillion, down 4.6% from FY2023.",
        "Outstanding commitments at the end of FY2024 were about ¥15.5 trillion, down 10.2% from"
        " a year earlier.",
        "Premium income in FY2024 was about ¥31.7 billion, down 46.5% from FY2023.",
        "Claims paid in FY2024 came to about ¥115.1 billion, up 312.3% from FY2023.",
        "Recoveries in FY2024 totalled about ¥22.3 billion, down 18.5% from FY2023.",
        "By region, underwriting was largest for Asia at about ¥4.1 trillion, 50.6% of the"
        " regions' combined figures (a policy can count in two regions, so they add up to more"
        " than the total).",
        "By region, claims paid were largest for Europe at about ¥107.0 billion, 92.9% of the"
        " total.",
        "By product, premium income was largest for Trade Insurance (General) at about ¥12.4"
        " billion, 39.3% of the total.",
    ],
}


def test_every_fy2024_sentence_reads_as_printed():
    """Test that each FY2024 press sentence, in Japanese and English, is exactly the hand-written text."""
    for lang, expected in EXPECTED.items():
        assert [s.text for s in press.sentences(View(lang))] == expected


def test_subject_and_verb_agree_in_english():
    """Test that no English sentence pairs a plural subject with 'was' (the old single template)."""
    for s in press.sentences(View("en")):
        for plural in ("commitments was", "Claims paid was", "Recoveries was"):
            assert plural not in s.text, s.text
