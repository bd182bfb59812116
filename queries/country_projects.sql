-- The projects the report places in one country ($iso3): LEAD initiative projects, the report
-- year's decarbonisation projects, and the major projects underwritten (by host country).
SELECT 'lead' AS kind, CAST(no AS VARCHAR) AS ref, announced AS month, title_ja, title_en,
       NULL AS product
FROM lead_projects WHERE iso3 = $iso3
UNION ALL
SELECT 'decarbonisation', CAST(no AS VARCHAR), signed, title_ja, title_en, product
FROM decarbonisation_projects WHERE iso3 = $iso3
UNION ALL
SELECT 'major', project_id, min(signed), first(title_ja ORDER BY contract_no),
       first(title_en ORDER BY contract_no), first(product ORDER BY contract_no)
FROM major_projects WHERE host_iso3 = $iso3
GROUP BY project_id
ORDER BY kind, month
