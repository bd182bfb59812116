-- One measure by product family across every fiscal year: the family's products added up (a
-- family none of whose products has a figure that year has none).
SELECT s.fiscal_year, f.family, f.name_ja AS family_ja, f.name_en AS family_en,
       f.sort AS family_sort, CAST(sum(s.amount_mjpy) AS BIGINT) AS amount_mjpy
FROM product_stats s
JOIN products p USING (product)
JOIN product_families f USING (family)
WHERE s.measure = $measure AND s.risk = $risk
GROUP BY s.fiscal_year, f.family, f.name_ja, f.name_en, f.sort
ORDER BY s.fiscal_year, f.sort
