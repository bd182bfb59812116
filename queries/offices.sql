-- NEXI's own offices (head office, branches, representative offices).
SELECT office, name_ja, name_en, kind, city_ja, city_en, iso3, lat, lon
FROM offices
ORDER BY CASE kind WHEN 'head_office' THEN 1 WHEN 'branch' THEN 2 ELSE 3 END, office
