-- Japan's exports (Ministry of Finance trade statistics, as quoted in the report).
SELECT fiscal_year, amount_mjpy, status
FROM japan_exports
ORDER BY fiscal_year
