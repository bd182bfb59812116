-- New network partners per fiscal year and the running total the report prints.
SELECT fiscal_year, new_regional, new_regional_unit, new_shinkin, cumulative
FROM sme_partnerships_by_year
ORDER BY fiscal_year
