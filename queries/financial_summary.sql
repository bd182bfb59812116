-- The financial results summary (決算の概要) for one fiscal year, in the report's order.
SELECT fiscal_year, item, item_ja, item_en, amount_mjpy, precision_mjpy
FROM financial_summary
WHERE fiscal_year = $fiscal_year
ORDER BY rowid
