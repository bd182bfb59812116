-- One country's recoveries as the report's text names them ($iso3), every year it appears.
SELECT r.fiscal_year, r.region, r.iso3, c.name_ja, c.name_en, r.amount_100mjpy, r.approx,
       r.basis, r.region_share_pct
FROM recoveries_by_country r JOIN country_regions c USING (iso3)
WHERE r.iso3 = $iso3
ORDER BY fiscal_year DESC
