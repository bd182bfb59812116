-- The ratios an analyst reads first, each by its standard definition, with every input line it
-- is computed from: one row per input, the ratio's numerator, denominator and value repeated on
-- each row, so the page can show the inputs and a reader can redo the sum.
--   loss_ratio_paid     = 正味支払保険金 / 正味収入保険料                       (paid, net)
--   loss_ratio_incurred = (正味支払保険金 + 支払備金繰入額) / 正味収入保険料     (incurred, net;
--                         a negative 繰入額 is the report's 戻入額, a release of the reserve)
--   net_expense_ratio   = (諸手数料 + 営業費及び一般管理費) / 正味収入保険料     (正味事業費率)
--   equity_ratio        = 純資産の部 合計 / 資産の部 合計                       (year end)
--   investment_yield    = 資産運用収益 / (現金及び預貯金 + 有価証券)           (gross income on
--                         year-end balances: the report prints no earlier balance sheet to average)
-- The report year's inputs are the statements' own lines (pl, bs); an earlier year's are the
-- 決算の概要 text's 前期実績 (financial_summary, to 0.1億円), which names only some of them. A
-- ratio missing an input in a year keeps its rows with that amount NULL and no value: the page
-- says what the report does not give instead of putting another figure in its place.
-- ratio_pct is cut (toward zero) after six decimals in integers, like the change_pct macro, so
-- rounding it half-up to one decimal gives the same as rounding the exact ratio.
WITH spec (sort, ratio, input_no, role, statement, item_ja, summary_item) AS (
    VALUES
    (1, 'loss_ratio_paid', 1, 'numerator', 'pl', '正味支払保険金', 'net_claims_paid'),
    (1, 'loss_ratio_paid', 2, 'denominator', 'pl', '正味収入保険料', 'net_premiums_written'),
    (2, 'loss_ratio_incurred', 1, 'numerator', 'pl', '正味支払保険金', 'net_claims_paid'),
    (2, 'loss_ratio_incurred', 2, 'numerator', 'pl', '支払備金繰入額',
     'outstanding_claims_provision'),
    (2, 'loss_ratio_incurred', 3, 'denominator', 'pl', '正味収入保険料', 'net_premiums_written'),
    (3, 'net_expense_ratio', 1, 'numerator', 'pl', '諸手数料', 'commissions'),
    (3, 'net_expense_ratio', 2, 'numerator', 'pl', '営業費及び一般管理費',
     'operating_admin_expenses'),
    (3, 'net_expense_ratio', 3, 'denominator', 'pl', '正味収入保険料', 'net_premiums_written'),
    (4, 'equity_ratio', 1, 'numerator', 'bs', '純資産の部 合計', 'net_assets'),
    (4, 'equity_ratio', 2, 'denominator', 'bs', '資産の部 合計', 'total_assets'),
    (5, 'investment_yield', 1, 'numerator', 'pl', '資産運用収益', 'investment_income'),
    -- the text states no year-end balances for an earlier year: no summary item
    (5, 'investment_yield', 2, 'denominator', 'bs', '現金及び預貯金', NULL),
    (5, 'investment_yield', 3, 'denominator', 'bs', '有価証券', NULL)
), report AS (
    SELECT max(fiscal_year) AS fiscal_year FROM financial_summary
), inputs AS (
    SELECT s.sort, s.ratio, y.fiscal_year, s.input_no, s.role, s.statement,
           f.line_no AS statement_line, f.item_ja, f.item_en,
           CASE WHEN y.fiscal_year = r.fiscal_year THEN f.amount_mjpy
                ELSE m.amount_mjpy END AS amount_mjpy,
           CASE WHEN y.fiscal_year = r.fiscal_year THEN 1
                ELSE m.precision_mjpy END AS precision_mjpy
    FROM spec s
    CROSS JOIN (SELECT DISTINCT fiscal_year FROM financial_summary) y
    CROSS JOIN report r
    JOIN financial_statements f ON f.statement = s.statement AND f.item_ja = s.item_ja
    LEFT JOIN financial_summary m ON m.fiscal_year = y.fiscal_year AND m.item = s.summary_item
), totals AS (
    SELECT ratio, fiscal_year,
           CASE WHEN count(amount_mjpy) = count(*) THEN
               sum(amount_mjpy) FILTER (WHERE role = 'numerator') END AS numerator_mjpy,
           CASE WHEN count(amount_mjpy) = count(*) THEN
               sum(amount_mjpy) FILTER (WHERE role = 'denominator') END AS denominator_mjpy
    FROM inputs
    GROUP BY ratio, fiscal_year
)
SELECT i.sort, i.ratio, i.fiscal_year, i.input_no, i.role, i.statement, i.statement_line,
       i.item_ja, i.item_en, i.amount_mjpy, i.precision_mjpy,
       CAST(t.numerator_mjpy AS BIGINT) AS numerator_mjpy,
       CAST(t.denominator_mjpy AS BIGINT) AS denominator_mjpy,
       CAST((CAST(t.numerator_mjpy AS HUGEINT) * 100000000) // t.denominator_mjpy
            AS DECIMAL(30, 0)) * 0.000001 AS ratio_pct
FROM inputs i
JOIN totals t USING (ratio, fiscal_year)
ORDER BY i.sort, i.fiscal_year, i.input_no
