-- Every country and place with its names and NEXI region.
SELECT iso3, name_ja, name_en, region, on_map FROM country_regions ORDER BY iso3
