-- Partner agreements filtered by type, the report's grouping and country; NULL means "all".
SELECT a.agreement_type, a.region AS report_group, a.iso3, a.country_ja, a.country_en,
       a.institution_ja, a.institution_en, a.year
FROM partner_agreements a
WHERE (CAST($agreement_type AS VARCHAR) IS NULL OR a.agreement_type = CAST($agreement_type AS VARCHAR))
  AND (CAST($report_group AS VARCHAR) IS NULL OR a.region = CAST($report_group AS VARCHAR))
  AND (CAST($iso3 AS VARCHAR) IS NULL OR a.iso3 = CAST($iso3 AS VARCHAR))
ORDER BY CASE a.agreement_type WHEN 'one_stop_shop' THEN 1 WHEN 'short_term_reinsurance' THEN 2
                               WHEN 'private_reinsurance' THEN 3 ELSE 4 END,
         a.region, a.iso3, a.year DESC, a.institution_ja
