-- The recoveries the text names for one year ($fiscal_year), by region in the report's order
-- (the combined North America and Oceania row, which has no region, last), largest first. A
-- country reads by its one name (country_regions), not the report's long form in this table.
SELECT r.fiscal_year, r.region, g.name_ja AS region_ja, g.name_en AS region_en, r.iso3,
       coalesce(c.name_ja, r.name_ja) AS name_ja, coalesce(c.name_en, r.name_en) AS name_en,
       r.amount_100mjpy, r.approx, r.basis, r.region_share_pct
FROM recoveries_by_country r
LEFT JOIN regions g ON g.region = r.region
LEFT JOIN country_regions c ON c.iso3 = r.iso3
WHERE r.fiscal_year = $fiscal_year
ORDER BY g.sort NULLS LAST, r.amount_100mjpy DESC, r.name_en
