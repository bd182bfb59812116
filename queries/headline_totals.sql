-- NEXI-wide totals per measure and fiscal year as the report prints them (its 合計 rows).
SELECT fiscal_year, measure, risk, amount_mjpy
FROM report_totals
ORDER BY measure, risk, fiscal_year
