-- NEXI's statistical regions in the report's order.
SELECT region, name_ja, name_en, sort FROM regions ORDER BY sort
