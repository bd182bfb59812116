-- Network members per prefecture (all 47, zero where none), banks and shinkin apart.
SELECT p.prefecture_code, p.name_ja, p.name_en, p.region_ja, p.region_en, p.sort,
       count(n.name_ja) FILTER (WHERE n.kind = 'bank') AS banks,
       count(n.name_ja) FILTER (WHERE n.kind = 'shinkin') AS shinkin,
       count(n.name_ja) AS members
FROM prefectures p LEFT JOIN sme_network n USING (prefecture_code)
GROUP BY ALL
ORDER BY p.sort
