-- Held-to-maturity bonds by kind in the report's two groups (fair value above book value or
-- not), each group followed by its subtotal, then the total: the table as printed. The parts'
-- sums come from GROUPING SETS (parts_*_mjpy); the subtotal and total figures shown are the
-- printed ones (htm_bond_totals). The report rounds every cell to the million, so a printed
-- subtotal may differ from its parts' sum by one: both are here so the page can say where.
WITH sums AS (
    SELECT fair_value_group, kind,
           GROUPING(fair_value_group) + GROUPING(kind) AS depth,  -- 0 part, 1 subtotal, 2 total
           sum(book_value_mjpy) AS book_value_mjpy, sum(fair_value_mjpy) AS fair_value_mjpy,
           sum(difference_mjpy) AS difference_mjpy
    FROM htm_bonds
    GROUP BY GROUPING SETS ((fair_value_group, kind), (fair_value_group), ())
)
SELECT CAST(row_number() OVER (ORDER BY s.depth = 2, s.fair_value_group, s.depth, b.sort)
            AS INTEGER) AS line,
       CASE s.depth WHEN 0 THEN 'part' WHEN 1 THEN 'subtotal' ELSE 'total' END AS row_type,
       coalesce(s.fair_value_group, 'all') AS fair_value_group, s.kind, b.kind_ja, b.kind_en,
       CASE WHEN s.depth = 0 THEN b.book_value_mjpy ELSE p.book_value_mjpy END
           AS book_value_mjpy,
       CASE WHEN s.depth = 0 THEN b.fair_value_mjpy ELSE p.fair_value_mjpy END
           AS fair_value_mjpy,
       CASE WHEN s.depth = 0 THEN b.difference_mjpy ELSE p.difference_mjpy END
           AS difference_mjpy,
       CASE WHEN s.depth > 0 THEN CAST(s.book_value_mjpy AS BIGINT) END AS parts_book_mjpy,
       CASE WHEN s.depth > 0 THEN CAST(s.fair_value_mjpy AS BIGINT) END AS parts_fair_mjpy,
       CASE WHEN s.depth > 0 THEN CAST(s.difference_mjpy AS BIGINT) END AS parts_difference_mjpy
FROM sums s
LEFT JOIN htm_bonds b ON s.depth = 0 AND b.fair_value_group = s.fair_value_group
    AND b.kind = s.kind
LEFT JOIN htm_bond_totals p ON s.depth > 0
    AND p.fair_value_group = coalesce(s.fair_value_group, 'all')
ORDER BY line
