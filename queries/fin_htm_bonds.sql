-- Held-to-maturity bonds by kind, in the report's two groups (fair value above book value or
-- not); the printed subtotals and total are the tests' checks, not rows.
SELECT fair_value_group, kind, sort, kind_ja, kind_en, book_value_mjpy, fair_value_mjpy,
       difference_mjpy
FROM htm_bonds
ORDER BY fair_value_group, sort
