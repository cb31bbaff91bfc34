"""The README's flag tables and `hmrd --help` say the same thing.

Each bold group heading in the README's "Flags" section is a section of --help
(`**Watching and building**` ↔ `WATCHING AND BUILDING:`); both list the same flags,
with the same value names, and where --help states a default the README's is the same.
"""

import re

from conftest import REPO, run_hmrd

HELP_FLAG = re.compile(r"^  (--[a-z-]+)(?: <([^>]+)>)?(.*)$")
README_ROW = re.compile(r"^\| `(--[a-z-]+)(?: ([^`]+))?` \| (.*) \| (.*) \|$")
NO_DEFAULT = {"none", "off", ""}


def help_sections(text: str) -> dict[str, dict[str, dict]]:
    """{section title: {flag: {"value": name or None, "default": text or None}}} from --help."""
    sections: dict[str, dict[str, dict]] = {}
    current = None
    last = None
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z ]+:$", line):
            current = sections.setdefault(line[:-1].lower(), {})
            continue
        if current is None:
            continue
        match = HELP_FLAG.match(line)
        if match:
            last = current[match.group(1)] = {"value": match.group(2), "text": match.group(3)}
        elif last is not None and line.startswith("   "):
            last["text"] += " " + line.strip()
    for flags in sections.values():
        for entry in flags.values():
            found = re.search(r"\(default: ([^)]*)\)", re.sub(r"\s+", " ", entry.pop("text")))
            entry["default"] = found.group(1).strip() if found else None
    return sections


def readme_sections() -> dict[str, dict[str, dict]]:
    text = (REPO / "README.md").read_text()
    flags_part = text[text.index("## Flags\n"):]
    flags_part = flags_part[:flags_part.index("\n## ", 1)]
    sections: dict[str, dict[str, dict]] = {}
    current = None
    for line in flags_part.splitlines():
        heading = re.match(r"^\*\*(.+?)\*\*", line)
        if heading:
            current = sections.setdefault(heading.group(1).lower(), {})
            continue
        match = README_ROW.match(line)
        if match and current is not None:
            value = match.group(2).replace("\\|", "|").lower() if match.group(2) else None
            current[match.group(1)] = {"value": value, "default": match.group(4).replace("`", "").strip()}
    return sections


def test_the_readme_flag_tables_match_help_group_by_group(tmp_path):
    result = run_hmrd("--help", cwd=tmp_path)
    assert result.returncode == 0
    helped = help_sections(result.stdout)
    documented = readme_sections()
    helped.pop("options", None)  # --version and --help: described in prose
    helped.pop("subcommands", None)
    assert set(documented) == set(helped), "the README's flag groups differ from --help's sections"
    for group, flags in helped.items():
        readme = documented[group]
        assert set(readme) == set(flags), f"{group}: README has {sorted(readme)}, --help has {sorted(flags)}"
        for flag, entry in flags.items():
            assert readme[flag]["value"] == (entry["value"].lower() if entry["value"] else None), \
                f"{flag}: value name {readme[flag]['value']!r} in the README, {entry['value']!r} in --help"
            if entry["default"] is not None:
                assert readme[flag]["default"] == entry["default"], \
                    f"{flag}: default {readme[flag]['default']!r} in the README, {entry['default']!r} in --help"
            else:
                assert readme[flag]["default"].split(" ")[0] in NO_DEFAULT or flag in {"--name"}, \
                    f"{flag}: the README gives default {readme[flag]['default']!r}, --help none"


def test_every_subcommand_in_help_is_in_the_readme(tmp_path):
    result = run_hmrd("--help", cwd=tmp_path)
    subcommands = re.findall(r"^  ([a-z-]+)  ", result.stdout.split("SUBCOMMANDS:")[1], re.M)
    assert subcommands, result.stdout
    readme = (REPO / "README.md").read_text()
    for name in subcommands:
        assert f"hmrd {name}" in readme, f"hmrd {name} is in --help but not in the README"
