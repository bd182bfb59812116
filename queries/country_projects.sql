-- The projects the report places in one country ($iso3), one row per entry in each list that
-- names it: LEAD initiative projects, the report year's decarbonisation projects, and the major
-- projects underwritten (by host country or by the site the goods go to). One project can sit in
-- several lists (Geretsried is LEAD project 13, decarbonisation project 3 and a major project),
-- so `project` names the project behind each entry: its LEAD number where the entry or its
-- major project links to one, else its major project, else the entry itself. Counting distinct
-- `project` values counts projects; counting rows counts entries. country_index.sql keys the
-- same way (tests/test_country_counts.py holds the two together).
WITH major_lead AS (
    SELECT project_id, max(lead_no) AS lead_no FROM major_projects GROUP BY project_id
), decarb_lead AS (
    SELECT project_id, max(lead_no) AS lead_no FROM decarbonisation_projects
    WHERE project_id IS NOT NULL GROUP BY project_id
), major AS (
    SELECT m.project_id, min(m.signed) AS month, arg_min(m.title_ja, m.contract_no) AS title_ja,
           arg_min(m.title_en, m.contract_no) AS title_en,
           arg_min(m.product, m.contract_no) AS product,
           coalesce(max(m.lead_no), any_value(d.lead_no)) AS lead_no
    FROM major_projects m LEFT JOIN decarb_lead d USING (project_id)
    WHERE m.host_iso3 = $iso3 OR m.site_iso3 = $iso3
    GROUP BY m.project_id
)
SELECT 'lead' AS kind, CAST(no AS VARCHAR) AS ref, announced AS month, title_ja, title_en,
       NULL AS product, 'lead:' || no AS project
FROM lead_projects WHERE iso3 = $iso3
UNION ALL
SELECT 'decarbonisation', CAST(d.no AS VARCHAR), d.signed, d.title_ja, d.title_en, d.product,
       coalesce('lead:' || coalesce(d.lead_no, ml.lead_no), 'major:' || d.project_id,
                'decarbonisation:' || d.no)
FROM decarbonisation_projects d LEFT JOIN major_lead ml USING (project_id)
WHERE d.iso3 = $iso3
UNION ALL
SELECT 'major', project_id, month, title_ja, title_en, product,
       coalesce('lead:' || lead_no, 'major:' || project_id)
FROM major
ORDER BY kind, month, ref
