-- NEXI's company profile (法人概要), in the report's order of items.
SELECT item, value_ja, value_en, as_of
FROM company_profile
ORDER BY CASE item WHEN 'name' THEN 1 WHEN 'founded' THEN 2 WHEN 'founding_law' THEN 3
                   WHEN 'purpose' THEN 4 WHEN 'minister' THEN 5 WHEN 'capital' THEN 6
                   WHEN 'employees' THEN 7 WHEN 'scope' THEN 8 WHEN 'offices_domestic' THEN 9
                   WHEN 'offices_overseas' THEN 10 ELSE 11 END, item
