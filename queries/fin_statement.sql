-- One financial statement ($statement: pl, bs or cf) line by line in printed order, each name
-- indented by its level with ideographic spaces (an HTML table keeps them; ASCII spaces collapse).
SELECT line_no, level, is_total,
       repeat('　', level) || item_ja AS item_ja,
       repeat('　', level) || item_en AS item_en,
       amount_mjpy
FROM financial_statements
WHERE statement = $statement
ORDER BY line_no
