-- Network members, in one prefecture or (NULL) all of them.
SELECT n.name_ja, n.name_en, n.kind, n.prefecture_code, p.name_ja AS prefecture_ja,
       p.name_en AS prefecture_en
FROM sme_network n JOIN prefectures p USING (prefecture_code)
WHERE CAST($prefecture_code AS VARCHAR) IS NULL
   OR n.prefecture_code = CAST($prefecture_code AS VARCHAR)
ORDER BY p.sort, n.kind, n.name_ja
