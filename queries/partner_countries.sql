-- One row per partner country: the type its map colour shows and every agreement it has.
-- The report's rule: One-Stop-Shop over cooperation, short-term over cooperation. Where a
-- country has both reinsurance types (the report does not say), One-Stop-Shop is shown.
WITH ranked AS (
    SELECT *, CASE agreement_type WHEN 'one_stop_shop' THEN 1
                                  WHEN 'short_term_reinsurance' THEN 2 ELSE 3 END AS priority
    FROM partner_agreements
    WHERE iso3 IS NOT NULL
)
SELECT r.iso3, c.name_ja, c.name_en, c.on_map,
       arg_min(r.agreement_type, r.priority) AS map_type,
       count(*) AS agreements,
       list(struct_pack(agreement_type := r.agreement_type, institution_ja := r.institution_ja,
                        institution_en := r.institution_en, year := r.year)
            ORDER BY r.priority, r.year DESC, r.institution_ja) AS detail
FROM ranked r JOIN country_regions c USING (iso3)
GROUP BY r.iso3, c.name_ja, c.name_en, c.on_map
ORDER BY r.iso3
