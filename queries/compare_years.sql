-- One measure (all types of loss together) in two fiscal years side by side, by region or by
-- product ($dim), with the difference and the change from year a to year b (the change_pct
-- macro, see build.py). The rows are year b's, in the report's order.
WITH parts AS (
    SELECT 'region' AS dim, s.region AS code, r.name_ja, r.name_en, r.sort,
           s.fiscal_year, s.amount_mjpy
    FROM region_stats s
    JOIN regions r USING (region)
    WHERE s.measure = $measure AND s.risk = 'total'
    UNION ALL
    SELECT 'product' AS dim, s.product AS code, p.name_ja, p.name_en, p.sort,
           s.fiscal_year, s.amount_mjpy
    FROM product_stats s
    JOIN products p USING (product)
    WHERE s.measure = $measure AND s.risk = 'total'
), a AS (
    SELECT code, amount_mjpy FROM parts WHERE dim = $dim AND fiscal_year = $year_a
), b AS (
    SELECT code, name_ja, name_en, sort, amount_mjpy FROM parts
    WHERE dim = $dim AND fiscal_year = $year_b
)
SELECT b.code, b.name_ja, b.name_en, b.sort,
       a.amount_mjpy AS amount_a_mjpy,
       b.amount_mjpy AS amount_b_mjpy,
       b.amount_mjpy - a.amount_mjpy AS difference_mjpy,
       change_pct(b.amount_mjpy, a.amount_mjpy) AS change_pct
FROM b
LEFT JOIN a USING (code)
ORDER BY b.sort
