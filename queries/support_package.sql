-- The overseas business support packages and who takes part in them.
SELECT package, package_ja, member_ja, member_en, kind, joined, institutions, as_of
FROM support_package
ORDER BY package DESC, CASE kind WHEN 'founder' THEN 1 WHEN 'partner' THEN 2 ELSE 3 END, joined, member_ja
