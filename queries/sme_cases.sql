-- SME customer cases: who exported what where, under which product, introduced by whom.
SELECT s.case_no, s.company_ja, s.company_en, s.prefecture_code, p.name_ja AS prefecture_ja,
       p.name_en AS prefecture_en, s.city_ja, s.product, pr.name_ja AS product_ja,
       pr.name_en AS product_en, s.goods_ja, s.goods_en, s.dest_iso3, c.name_ja AS dest_ja,
       c.name_en AS dest_en, s.amount_jpy, s.amount_basis, s.approx, s.signed,
       s.introducer_ja, s.introducer_en
FROM sme_cases s
JOIN products pr USING (product)
JOIN country_regions c ON c.iso3 = s.dest_iso3
LEFT JOIN prefectures p USING (prefecture_code)
ORDER BY s.case_no, s.signed, s.dest_iso3
