-- Environmental screening for one fiscal year: shares by category and by region, with the
-- number of screened cases.
SELECT e.dimension, e.key, e.label_ja, e.label_en, e.share_pct, c.cases
FROM env_screening e JOIN env_screening_cases c USING (fiscal_year)
WHERE e.fiscal_year = $fiscal_year
ORDER BY e.dimension, e.sort
