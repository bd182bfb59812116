-- Japan's exports (Ministry of Finance trade statistics, as quoted in the report), with the
-- change from the previous year (the change_pct macro, see build.py); NULL for the first year.
SELECT cur.fiscal_year, cur.amount_mjpy, cur.status,
       change_pct(cur.amount_mjpy, prev.amount_mjpy) AS change_pct
FROM japan_exports cur
LEFT JOIN japan_exports prev ON prev.fiscal_year = cur.fiscal_year - 1
ORDER BY cur.fiscal_year
