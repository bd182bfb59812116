-- The cash-flow statement's sections, the change in cash and the balances it joins, as printed.
SELECT line_no, CASE item_ja
           WHEN '営業活動によるキャッシュ・フロー' THEN 'operating'
           WHEN '投資活動によるキャッシュ・フロー' THEN 'investing'
           WHEN '財務活動によるキャッシュ・フロー' THEN 'financing'
           WHEN '現金及び現金同等物に係る換算差額' THEN 'fx'
           WHEN '現金及び現金同等物の増減額（△は減少）' THEN 'net_change'
           WHEN '現金及び現金同等物期首残高' THEN 'opening'
           WHEN '現金及び現金同等物期末残高' THEN 'closing' END AS flow,
       item_ja, item_en, amount_mjpy
FROM financial_statements
WHERE statement = 'cf' AND flow IS NOT NULL
ORDER BY line_no
