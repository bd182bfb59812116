-- Every fiscal year the business statistics cover, newest first: the year selectors' options.
SELECT DISTINCT fiscal_year FROM product_stats ORDER BY fiscal_year DESC
