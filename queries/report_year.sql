-- The fiscal year the report is for: the latest year of its own printed totals. Titles, file
-- names and the year-specific notes follow it, so next year's tables need no code change.
SELECT max(fiscal_year) AS fiscal_year FROM report_totals
