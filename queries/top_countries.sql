-- The top 10 countries and regions by underwriting (printed for FY2024 only).
SELECT t.fiscal_year, t.rank, t.iso3, c.name_ja, c.name_en, c.region, c.on_map,
       t.amount_mjpy, t.share_pct
FROM top_countries t JOIN country_regions c USING (iso3)
ORDER BY t.fiscal_year, t.rank
