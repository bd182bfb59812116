"""The settings: one module reads the environment, and the README documents every setting."""

from __future__ import annotations

import re

from nexidash import paths, settings

README_ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.M)
# Reading the environment anywhere but settings.py; handing a copy to a child is fine.
ENV_READ = re.compile(r"os\.environ\s*(?:\.get|\[)|os\.getenv|environ\.get\(")


def readme_settings() -> list[str]:
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return README_ROW.findall(section)


def test_every_setting_is_documented_in_the_readme_and_nothing_else_is():
    """Test that the README's settings table names exactly the settings the code reads."""
    assert sorted(readme_settings()) == sorted(settings.SETTINGS)


def test_only_the_settings_module_reads_the_environment():
    """Test that no module but nexidash/settings.py reads an environment variable."""
    files = [*paths.ROOT.glob("nexidash/*.py"), *paths.ROOT.glob("pages/*.py"),
             paths.ROOT / "app.py"]
    readers = [f.relative_to(paths.ROOT).as_posix() for f in files
               if f.name != "settings.py" and ENV_READ.search(f.read_text(encoding="utf-8"))]
    assert readers == []


def test_a_blank_setting_takes_its_default_and_a_given_one_wins():
    """Test that a setting left blank falls back to its default, and a given value is used."""
    assert settings.get("NEXI_LICENSE", {"NEXI_LICENSE": "  "}) == "CC-BY-4.0"
    assert settings.get("NEXI_LICENSE", {"NEXI_LICENSE": "CC0-1.0"}) == "CC0-1.0"
    assert settings.get("UPSTREAMS", {}) is None


def test_the_readme_check_catches_an_undocumented_setting(monkeypatch):
    """Test that a setting missing from the README fails the documentation check."""
    monkeypatch.setitem(settings.SETTINGS, "NEXI_NEW",
                        settings.Setting("NEXI_NEW", None, "planted"))
    assert sorted(readme_settings()) != sorted(settings.SETTINGS)
