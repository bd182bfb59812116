-- Every project the LEAD page maps: LEAD projects, FY2024 decarbonisation projects and the
-- major underwritten projects, each with the country (or region) it is placed in.
SELECT 'lead' AS kind, CAST(no AS VARCHAR) AS ref, iso3, region, announced AS month,
       title_ja, title_en, place_ja, place_en
FROM lead_projects
UNION ALL
SELECT 'decarbonisation', CAST(d.no AS VARCHAR), d.iso3, c.region, d.signed, d.title_ja,
       d.title_en, c.name_ja, c.name_en
FROM decarbonisation_projects d JOIN country_regions c USING (iso3)
UNION ALL
SELECT 'major', m.project_id, coalesce(m.site_iso3, m.host_iso3), c.region, min(m.signed),
       arg_min(m.title_ja, m.contract_no), arg_min(m.title_en, m.contract_no),
       any_value(c.name_ja), any_value(c.name_en)
FROM major_projects m JOIN country_regions c ON c.iso3 = coalesce(m.site_iso3, m.host_iso3)
GROUP BY m.project_id, coalesce(m.site_iso3, m.host_iso3), c.region
ORDER BY kind, ref, iso3
