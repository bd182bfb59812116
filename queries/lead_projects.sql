-- LEAD initiative projects, filtered by element, fiscal year of announcement, region and
-- currency; a NULL filter means "all". The fiscal year starts in April.
WITH p AS (
    SELECT l.*,
           CAST(left(l.announced, 4) AS INTEGER)
             - CASE WHEN CAST(right(l.announced, 2) AS INTEGER) < 4 THEN 1 ELSE 0 END
             AS fiscal_year,
           string_split(l.elements, ';') AS element_list
    FROM lead_projects l
)
SELECT p.no, p.announced, p.fiscal_year, p.iso3, p.place_ja, p.place_en, p.title_ja,
       p.title_en, p.elements, p.amount, p.currency, p.approx, p.region,
       r.name_ja AS region_ja, r.name_en AS region_en
FROM p JOIN regions r USING (region)
WHERE (CAST($element AS VARCHAR) IS NULL OR list_contains(p.element_list, CAST($element AS VARCHAR)))
  AND (CAST($fiscal_year AS INTEGER) IS NULL OR p.fiscal_year = CAST($fiscal_year AS INTEGER))
  AND (CAST($region AS VARCHAR) IS NULL OR p.region = CAST($region AS VARCHAR))
  AND (CAST($currency AS VARCHAR) IS NULL OR p.currency = CAST($currency AS VARCHAR))
ORDER BY p.no
