-- Every country or territory in the tables, with how often the report names it in each part the
-- country view shows. Every iso3 of every report table counts (a major project's host and the
-- site its goods go to, NEXI's offices included), so every country a page maps or lists has its
-- view; `mentions` 0 means the report names it in none of these tables (it is on the map only,
-- through its region). `projects` counts distinct projects, keyed as country_projects.sql keys
-- them; `lead`, `decarbonisation` and `major` count the entries in each list.
WITH major_lead AS (
    SELECT project_id, max(lead_no) AS lead_no FROM major_projects GROUP BY project_id
), decarb_lead AS (
    SELECT project_id, max(lead_no) AS lead_no FROM decarbonisation_projects
    WHERE project_id IS NOT NULL GROUP BY project_id
), major_places AS (
    SELECT DISTINCT project_id, host_iso3 AS iso3 FROM major_projects
    UNION SELECT DISTINCT project_id, site_iso3 FROM major_projects WHERE site_iso3 IS NOT NULL
), named AS (
    SELECT iso3, 'partners' AS part, NULL AS project FROM partner_agreements WHERE iso3 IS NOT NULL
    UNION ALL SELECT iso3, 'lead', 'lead:' || no FROM lead_projects WHERE iso3 IS NOT NULL
    UNION ALL SELECT d.iso3, 'decarbonisation',
                     coalesce('lead:' || coalesce(d.lead_no, ml.lead_no), 'major:' || d.project_id,
                              'decarbonisation:' || d.no)
              FROM decarbonisation_projects d LEFT JOIN major_lead ml USING (project_id)
    UNION ALL SELECT p.iso3, 'major',
                     coalesce('lead:' || coalesce(ml.lead_no, dl.lead_no), 'major:' || p.project_id)
              FROM major_places p LEFT JOIN major_lead ml USING (project_id)
              LEFT JOIN decarb_lead dl USING (project_id)
    UNION ALL SELECT DISTINCT dest_iso3, 'sme_cases', NULL FROM sme_cases
    UNION ALL SELECT iso3, 'top10', NULL FROM top_countries
    UNION ALL SELECT iso3, 'recoveries', NULL FROM recoveries_by_country WHERE iso3 IS NOT NULL
    UNION ALL SELECT iso3, 'exports', NULL FROM japan_exports_by_destination WHERE iso3 IS NOT NULL
    UNION ALL SELECT DISTINCT iso3, 'offices', NULL FROM offices
)
SELECT c.iso3, c.name_ja, c.name_en, c.region, r.name_ja AS region_ja, r.name_en AS region_en,
       r.sort AS region_sort,
       count(n.part) AS mentions,
       count(n.part) FILTER (WHERE n.part = 'partners') AS partners,
       count(DISTINCT n.project) AS projects,
       count(n.part) FILTER (WHERE n.part = 'lead') AS lead,
       count(n.part) FILTER (WHERE n.part = 'decarbonisation') AS decarbonisation,
       count(n.part) FILTER (WHERE n.part = 'major') AS major,
       count(n.part) FILTER (WHERE n.part = 'sme_cases') AS sme_cases,
       count(n.part) FILTER (WHERE n.part IN ('top10', 'recoveries', 'exports')) AS figures,
       count(n.part) FILTER (WHERE n.part = 'offices') AS offices
FROM country_regions c
JOIN regions r USING (region)
LEFT JOIN named n USING (iso3)
GROUP BY ALL
ORDER BY region_sort, c.iso3
