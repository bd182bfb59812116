-- One measure by region across every fiscal year.
SELECT s.fiscal_year, r.region, r.name_ja, r.name_en, r.sort, s.amount_mjpy
FROM region_stats s JOIN regions r USING (region)
WHERE s.measure = $measure AND s.risk = $risk
ORDER BY s.fiscal_year, r.sort
