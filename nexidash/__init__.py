"""Shared code of the NEXI Annual Report FY2024 dashboard: data build, query layer, i18n, charts."""
