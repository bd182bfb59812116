-- One measure for one fiscal year by product, with family, share of the total and the change
-- from the previous year (the change_pct macro, see build.py).
WITH cur AS (
    SELECT product, amount_mjpy FROM product_stats
    WHERE measure = $measure AND risk = $risk AND fiscal_year = $fiscal_year
), prev AS (
    SELECT product, amount_mjpy FROM product_stats
    WHERE measure = $measure AND risk = $risk AND fiscal_year = $fiscal_year - 1
)
SELECT p.product, p.name_ja, p.name_en, p.sort, p.family,
       f.name_ja AS family_ja, f.name_en AS family_en, f.sort AS family_sort,
       cur.amount_mjpy,
       prev.amount_mjpy AS prev_amount_mjpy,
       100.0 * cur.amount_mjpy / sum(cur.amount_mjpy) OVER () AS share_pct,
       change_pct(cur.amount_mjpy, prev.amount_mjpy) AS change_pct,
       -- NULL unless both years have a figure: a change from "－" is not one the report shows.
       cur.amount_mjpy - prev.amount_mjpy AS change_mjpy
FROM products p
JOIN product_families f USING (family)
JOIN cur USING (product)
LEFT JOIN prev USING (product)
ORDER BY p.sort
