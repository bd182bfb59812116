-- Agreements by the year printed beside them (signing or latest revision) and type.
SELECT year, agreement_type, count(*) AS agreements
FROM partner_agreements
GROUP BY ALL
ORDER BY year, agreement_type
