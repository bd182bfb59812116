-- NEXI-wide totals per measure and fiscal year as the report prints them (its 合計 rows), with
-- the previous year's total and the change from it (the change_pct macro, see build.py).
SELECT cur.fiscal_year, cur.measure, cur.risk, cur.amount_mjpy,
       prev.amount_mjpy AS prev_amount_mjpy,
       change_pct(cur.amount_mjpy, prev.amount_mjpy) AS change_pct
FROM report_totals cur
LEFT JOIN report_totals prev
       ON prev.measure = cur.measure AND prev.risk = cur.risk
      AND prev.fiscal_year = cur.fiscal_year - 1
ORDER BY cur.measure, cur.risk, cur.fiscal_year
