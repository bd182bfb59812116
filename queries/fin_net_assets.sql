-- The statement of changes in net assets as printed: one row per movement and component.
SELECT movement, component, movement_ja, movement_en, component_ja, component_en,
       movement_sort, component_sort, amount_mjpy
FROM net_assets_changes
ORDER BY movement_sort, component_sort
