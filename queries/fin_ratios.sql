-- The ratios an executive asks about, each with the figures it is computed from, for every
-- fiscal year the financial summary gives both of them (FY2023 from the text, to 0.1億円):
--   loss_ratio       = net claims paid / net premiums written
--   expense_ratio    = operating and general administrative expenses / net premiums written
--   equity_ratio     = net assets / total assets
--   investment_yield = investment income / (cash and deposits + securities) at the year end
-- The yield's denominator is the balance sheet's, which is the report year's only.
WITH s AS (
    SELECT fiscal_year, item, amount_mjpy, precision_mjpy FROM financial_summary
), invested AS (
    SELECT t.fiscal_year, CAST(sum(f.amount_mjpy) AS BIGINT) AS amount_mjpy, 1 AS precision_mjpy
    FROM financial_statements f
    CROSS JOIN (SELECT fiscal_year FROM s WHERE item = 'total_assets') t
    WHERE f.statement = 'bs' AND f.item_ja IN ('現金及び預貯金', '有価証券')
    GROUP BY t.fiscal_year
), pairs AS (
    SELECT 1 AS sort, 'loss_ratio' AS ratio, n.fiscal_year, n.amount_mjpy AS numerator_mjpy,
           d.amount_mjpy AS denominator_mjpy,
           greatest(n.precision_mjpy, d.precision_mjpy) AS precision_mjpy
    FROM s n JOIN s d USING (fiscal_year)
    WHERE n.item = 'net_claims_paid' AND d.item = 'net_premiums_written'
    UNION ALL
    SELECT 2, 'expense_ratio', n.fiscal_year, n.amount_mjpy, d.amount_mjpy,
           greatest(n.precision_mjpy, d.precision_mjpy)
    FROM s n JOIN s d USING (fiscal_year)
    WHERE n.item = 'operating_admin_expenses' AND d.item = 'net_premiums_written'
    UNION ALL
    SELECT 3, 'equity_ratio', n.fiscal_year, n.amount_mjpy, d.amount_mjpy,
           greatest(n.precision_mjpy, d.precision_mjpy)
    FROM s n JOIN s d USING (fiscal_year)
    WHERE n.item = 'net_assets' AND d.item = 'total_assets'
    UNION ALL
    SELECT 4, 'investment_yield', n.fiscal_year, n.amount_mjpy, d.amount_mjpy,
           greatest(n.precision_mjpy, d.precision_mjpy)
    FROM s n JOIN invested d USING (fiscal_year)
    WHERE n.item = 'investment_income'
)
SELECT sort, ratio, fiscal_year, numerator_mjpy, denominator_mjpy, precision_mjpy,
       100.0 * numerator_mjpy / denominator_mjpy AS ratio_pct
FROM pairs
WHERE numerator_mjpy IS NOT NULL AND denominator_mjpy IS NOT NULL
ORDER BY sort, fiscal_year
