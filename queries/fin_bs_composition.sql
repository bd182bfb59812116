-- The balance sheet's two sides in parts: assets by their main lines; liabilities by the
-- reserves (支払備金, 未経過保険料, 異常危険準備金), other liabilities and the provisions taken
-- together (no name: the page names them); then net assets. Each part's share of its side's
-- printed total.
WITH bs AS (
    SELECT line_no, item_ja, amount_mjpy FROM financial_statements WHERE statement = 'bs'
), parts AS (
    SELECT 'assets' AS side, 'a' || line_no AS segment, line_no AS sort, amount_mjpy
    FROM bs
    WHERE line_no IN (SELECT line_no FROM financial_statements
                      WHERE statement = 'bs' AND parent_line =
                            (SELECT line_no FROM bs WHERE item_ja = '資産の部 合計'))
    UNION ALL
    SELECT 'liabilities_net_assets', CASE item_ja
               WHEN '支払備金' THEN 'outstanding_claims'
               WHEN '未経過保険料' THEN 'unearned_premiums'
               WHEN '異常危険準備金' THEN 'catastrophe_reserve'
               WHEN 'その他負債' THEN 'other_liabilities'
               WHEN '純資産の部 合計' THEN 'net_assets'
               ELSE 'provisions' END,
           min(line_no), CAST(sum(amount_mjpy) AS BIGINT)
    FROM bs
    WHERE item_ja IN ('支払備金', '未経過保険料', '異常危険準備金', 'その他負債', '賞与引当金',
                      '役員賞与引当金', '退職給付引当金', '役員退職慰労引当金', '純資産の部 合計')
    GROUP BY 1, 2
), sides AS (
    SELECT 'assets' AS side, amount_mjpy AS side_total_mjpy FROM bs WHERE item_ja = '資産の部 合計'
    UNION ALL
    SELECT 'liabilities_net_assets', amount_mjpy FROM bs WHERE item_ja = '負債及び純資産の部 合計'
)
SELECT p.side, p.segment,
       CASE WHEN p.segment <> 'provisions' THEN f.item_ja END AS item_ja,
       CASE WHEN p.segment <> 'provisions' THEN f.item_en END AS item_en,
       p.sort, p.amount_mjpy,
       100.0 * p.amount_mjpy / s.side_total_mjpy AS share_pct
FROM parts p
JOIN sides s USING (side)
LEFT JOIN financial_statements f ON f.statement = 'bs' AND f.line_no = p.sort
ORDER BY p.side, p.sort
