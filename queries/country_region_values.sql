-- Every country on the map with its region's figure for one measure and fiscal year: the
-- statistics exist per region only, so a country shows its region's amount.
SELECT c.iso3, c.name_ja, c.name_en, c.on_map, r.region, r.name_ja AS region_ja,
       r.name_en AS region_en, s.amount_mjpy
FROM country_regions c
JOIN regions r USING (region)
LEFT JOIN region_stats s
       ON s.region = c.region AND s.measure = $measure AND s.risk = $risk
      AND s.fiscal_year = $fiscal_year
ORDER BY c.iso3
