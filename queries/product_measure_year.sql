-- One measure for one fiscal year by product, with family, share of the total and the change
-- from the previous year.
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
       CASE WHEN prev.amount_mjpy <> 0
            THEN 100.0 * (cur.amount_mjpy - prev.amount_mjpy) / abs(prev.amount_mjpy) END
           AS change_pct
FROM products p
JOIN product_families f USING (family)
JOIN cur USING (product)
LEFT JOIN prev USING (product)
ORDER BY p.sort
