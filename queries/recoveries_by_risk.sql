-- Recoveries per fiscal year by risk (the report's 非常・信用別回収状況).
SELECT fiscal_year, risk, amount_mjpy
FROM risk_stats
WHERE measure = 'recoveries' AND risk IN ('political', 'commercial')
ORDER BY fiscal_year, risk
