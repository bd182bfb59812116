-- NEXI's history (沿革), oldest first.
SELECT date, event_ja, event_en
FROM history
ORDER BY date
