-- The insurance products in the report's order, with their names (the glossary's entries).
SELECT product, name_ja, name_en, family, sort
FROM products
ORDER BY sort
