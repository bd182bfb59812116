-- From net premiums written to net income, in steps taken from the income statement: each step
-- is its effect on profit (an expense or a provision with its sign turned). The report rounds
-- every line to the million, so the steps miss the printed ordinary loss by the rounding; that
-- difference is a step of its own ('rounding') instead of being hidden in another one. Totals
-- ('total') are the printed results; running_mjpy is the profit after each step.
WITH pl AS (
    SELECT item_ja, amount_mjpy FROM financial_statements WHERE statement = 'pl'
), steps(step_no, step, item_ja, sign) AS (
    VALUES (1, 'premiums', '正味収入保険料', 1),
           (2, 'claims', '正味支払保険金', -1),
           (3, 'claims_reserve', '支払備金繰入額', -1),
           (4, 'unearned_premiums', '未経過保険料繰入額', -1),
           (5, 'catastrophe_reserve', '異常危険準備金繰入額', -1),
           (6, 'commissions', '諸手数料', -1),
           (7, 'subrogation', '保険代位等収益', 1),
           (7, 'subrogation', '保険代位等費用', -1),
           (8, 'investment_income', '資産運用収益', 1),
           (9, 'investment_expenses', '資産運用費用', -1),
           (10, 'operating_expenses', '営業費及び一般管理費', -1),
           (11, 'other', '為替差益', 1),
           (11, 'other', 'その他経常収益', 1),
           (11, 'other', 'その他経常費用', -1),
           (14, 'extraordinary', '特別利益', 1),
           (15, 'taxes', '法人税等合計', -1)
), parts AS (
    SELECT s.step_no, s.step, CAST(sum(s.sign * p.amount_mjpy) AS BIGINT) AS amount_mjpy
    FROM steps s JOIN pl p USING (item_ja)
    GROUP BY s.step_no, s.step
), ordinary AS (
    SELECT amount_mjpy FROM pl WHERE item_ja = '経常損失'
), all_steps AS (
    SELECT step_no, step, CASE WHEN step_no = 1 THEN 'absolute' ELSE 'relative' END AS measure,
           amount_mjpy
    FROM parts
    UNION ALL
    SELECT 12, 'rounding', 'relative',
           o.amount_mjpy - CAST((SELECT sum(amount_mjpy) FROM parts WHERE step_no < 12) AS BIGINT)
    FROM ordinary o
    UNION ALL
    SELECT 13, 'ordinary_result', 'total', amount_mjpy FROM ordinary
    UNION ALL
    SELECT 16, 'net_income', 'total', amount_mjpy FROM pl WHERE item_ja = '当期純利益'
)
SELECT step_no, step, measure, amount_mjpy,
       CAST(sum(CASE WHEN measure = 'total' THEN 0 ELSE amount_mjpy END)
           OVER (ORDER BY step_no ROWS UNBOUNDED PRECEDING) AS BIGINT) AS running_mjpy
FROM all_steps
ORDER BY step_no
