-- The catalog row that gives a chart its source line and unit.
SELECT table_name, title_ja, title_en, unit_ja, unit_en, source_ja, notes_ja, notes_en, source_en
FROM catalog
WHERE table_name = $table_name
