-- One measure for one fiscal year by region, with its share of the regions' sum and the change
-- from the previous year. Shares are of the regions' sum, as the report computes them.
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
       CASE WHEN prev.amount_mjpy <> 0
            THEN 100.0 * (cur.amount_mjpy - prev.amount_mjpy) / abs(prev.amount_mjpy) END
           AS change_pct
FROM regions r
JOIN cur USING (region)
LEFT JOIN prev USING (region)
ORDER BY r.sort
