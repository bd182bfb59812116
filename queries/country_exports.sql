-- Japan's exports to one country ($iso3) as the report's text states them (China, the US).
SELECT e.fiscal_year, e.destination, e.iso3, c.name_ja, c.name_en, e.amount_trillion_jpy,
       e.approx, e.change_pct
FROM japan_exports_by_destination e JOIN country_regions c USING (iso3)
WHERE e.iso3 = $iso3
ORDER BY e.fiscal_year DESC, e.destination
