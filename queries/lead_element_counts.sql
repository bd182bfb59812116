-- How many LEAD projects carry each element (a project can carry several).
SELECT e.element, count(*) AS projects
FROM lead_projects l, unnest(string_split(l.elements, ';')) AS e(element)
GROUP BY e.element
ORDER BY CASE e.element WHEN 'leading_tech' THEN 1 WHEN 'environment_energy' THEN 2
                        WHEN 'alliance' THEN 3 ELSE 4 END
