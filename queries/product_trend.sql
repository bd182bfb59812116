-- One measure by product across every fiscal year.
SELECT s.fiscal_year, p.product, p.name_ja, p.name_en, p.sort, p.family,
       f.name_ja AS family_ja, f.name_en AS family_en, s.amount_mjpy
FROM product_stats s
JOIN products p USING (product)
JOIN product_families f USING (family)
WHERE s.measure = $measure AND s.risk = $risk
ORDER BY s.fiscal_year, p.sort
