-- The reserves that back future claims: each balance at the report year's end (balance sheet),
-- this year's provision (income statement; negative is a release), and the balance a year
-- earlier implied by them (end balance minus provision: the report prints no prior-year
-- balance sheet, so this one is computed).
WITH r(sort, reserve, bs_item, pl_item) AS (
    VALUES (1, 'outstanding_claims', '支払備金', '支払備金繰入額'),
           (2, 'unearned_premiums', '未経過保険料', '未経過保険料繰入額'),
           (3, 'catastrophe_reserve', '異常危険準備金', '異常危険準備金繰入額'),
           (4, 'underwriting_reserves', '責任準備金', '責任準備金繰入額')
)
SELECT r.sort, r.reserve, b.item_ja, b.item_en,
       b.amount_mjpy - p.amount_mjpy AS opening_mjpy,
       p.amount_mjpy AS provision_mjpy,
       b.amount_mjpy AS closing_mjpy
FROM r
JOIN financial_statements b ON b.statement = 'bs' AND b.item_ja = r.bs_item
JOIN financial_statements p ON p.statement = 'pl' AND p.item_ja = r.pl_item
ORDER BY r.sort
