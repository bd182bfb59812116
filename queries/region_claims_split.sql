-- Claims paid by region for one fiscal year, split into political and commercial events.
SELECT r.region, r.name_ja, r.name_en, r.sort, s.risk, s.amount_mjpy
FROM region_stats s JOIN regions r USING (region)
WHERE s.measure = 'claims_paid' AND s.risk IN ('political', 'commercial')
  AND s.fiscal_year = $fiscal_year
ORDER BY r.sort, s.risk DESC
