-- Japan's exports to one country ($iso3) as the report's text states them (China, the US).
SELECT fiscal_year, destination, iso3, name_ja, name_en, amount_trillion_jpy, approx, change_pct
FROM japan_exports_by_destination
WHERE iso3 = $iso3
ORDER BY fiscal_year DESC, destination
