-- The SME customer cases the report describes that ship to one country ($iso3).
SELECT s.case_no, s.company_ja, s.company_en, s.goods_ja, s.goods_en, s.product,
       p.name_ja AS product_ja, p.name_en AS product_en, s.signed
FROM sme_cases s JOIN products p USING (product)
WHERE s.dest_iso3 = $iso3
ORDER BY s.case_no
