-- Every country or territory in the tables, with how often the report names it in each part
-- the country view shows; `mentions` 0 means the report names it nowhere (it is on the map
-- only, through its region).
WITH named AS (
    SELECT iso3, 'partners' AS part FROM partner_agreements WHERE iso3 IS NOT NULL
    UNION ALL SELECT iso3, 'projects' FROM lead_projects WHERE iso3 IS NOT NULL
    UNION ALL SELECT iso3, 'projects' FROM decarbonisation_projects
    UNION ALL SELECT DISTINCT host_iso3, 'projects' FROM major_projects
    UNION ALL SELECT DISTINCT dest_iso3, 'sme_cases' FROM sme_cases
    UNION ALL SELECT iso3, 'top10' FROM top_countries
    UNION ALL SELECT iso3, 'recoveries' FROM recoveries_by_country WHERE iso3 IS NOT NULL
    UNION ALL SELECT iso3, 'exports' FROM japan_exports_by_destination WHERE iso3 IS NOT NULL
)
SELECT c.iso3, c.name_ja, c.name_en, c.region, r.name_ja AS region_ja, r.name_en AS region_en,
       r.sort AS region_sort,
       count(n.part) AS mentions,
       count(n.part) FILTER (WHERE n.part = 'partners') AS partners,
       count(n.part) FILTER (WHERE n.part = 'projects') AS projects,
       count(n.part) FILTER (WHERE n.part = 'sme_cases') AS sme_cases,
       count(n.part) FILTER (WHERE n.part IN ('top10', 'recoveries', 'exports')) AS figures
FROM country_regions c
JOIN regions r USING (region)
LEFT JOIN named n USING (iso3)
GROUP BY ALL
ORDER BY region_sort, c.iso3
