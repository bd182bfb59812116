-- When the held-to-maturity bonds fall due, by the report's maturity buckets.
SELECT bucket, sort, bucket_ja, bucket_en, amount_mjpy
FROM bond_redemptions
WHERE asset = 'htm_bonds'
ORDER BY sort
