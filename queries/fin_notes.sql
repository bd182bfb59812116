-- Every breakdown in the notes to the financial statements, line by line in printed order, each
-- name indented by its level; sign -1 marks a line the report deducts (（控除）).
SELECT note, line_no, level, sign, is_total,
       repeat('　', level) || item_ja AS item_ja,
       repeat('　', level) || item_en AS item_en,
       amount_mjpy
FROM financial_notes
ORDER BY list_position(['premiums', 'claims', 'commissions', 'claims_reserve_provision',
                        'uw_reserve_provision', 'interest', 'subrogation_income',
                        'subrogation_expenses', 'outstanding_claims', 'uw_reserves',
                        'subrogated_claims', 'unlisted_securities', 'accumulated_depreciation',
                        'cuba_fund', 'cash_reconciliation'], note), line_no
