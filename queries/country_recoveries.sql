-- One country's recoveries as the report's text names them ($iso3), every year it appears.
SELECT fiscal_year, region, iso3, name_ja, name_en, amount_100mjpy, approx, basis,
       region_share_pct
FROM recoveries_by_country
WHERE iso3 = $iso3
ORDER BY fiscal_year DESC
