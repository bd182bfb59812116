-- One measure for one fiscal year by region, with its share of the regions' sum and the change
-- from the previous year (the change_pct macro, see build.py). Shares are of the regions' sum,
-- as the report computes them.
WITH cur AS (
    SELECT region, amount_mjpy FROM region_stats
    WHERE measure = $measure AND risk = $risk AND fiscal_year = $fiscal_year
), prev AS (
    SELECT region, amount_mjpy FROM region_stats
    WHERE measure = $measure AND risk = $risk AND fiscal_year = $fiscal_year - 1
)
SELECT r.region, r.name_ja, r.name_en, r.sort,
       cur.amount_mjpy,
       prev.amount_mjpy AS prev_amount_mjpy,
       100.0 * cur.amount_mjpy / sum(cur.amount_mjpy) OVER () AS share_pct,
       change_pct(cur.amount_mjpy, prev.amount_mjpy) AS change_pct
FROM regions r
JOIN cur USING (region)
LEFT JOIN prev USING (region)
ORDER BY r.sort
