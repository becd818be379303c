#!/usr/bin/env bash
# Cuts Material Symbols (from the egui_material_icons crate) down to the icons src/ui/icons.rs
# lists, into assets/icons.ttf: the window draws 37 icons, and the whole font is 1.2 MB of the
# binary. Run it after adding an icon there (the test `the_font_has_every_icon` says when).
# Needs Python 3 (fonttools is installed from PyPI into target/fonttools-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/fonttools-venv
if [ ! -x "$venv/bin/pyftsubset" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q fonttools==4.60.1
fi

# Where cargo unpacked the crate Cargo.lock names.
crate_dir=$(cargo metadata --format-version 1 --locked | python3 -c '
import json, os, sys
meta = json.load(sys.stdin)
print(next(os.path.dirname(p["manifest_path"]) for p in meta["packages"] if p["name"] == "egui_material_icons"))')

# The codepoint of each name listed in src/ui/icons.rs, as the crate defines it.
unicodes=$(python3 - "$crate_dir/src/icons.rs" src/ui/icons.rs <<'PY'
import re, sys
defined = dict(re.findall(r'pub const (ICON_\w+): crate::MaterialIcon = crate::MaterialIcon::new\("\\u\{([0-9a-f]+)\}"\)', open(sys.argv[1]).read()))
listed = re.findall(r'^    (ICON_\w+),$', open(sys.argv[2]).read(), re.M)
missing = [n for n in listed if n not in defined]
if missing or not listed:
    sys.exit(f"not in egui_material_icons: {missing or 'nothing listed'}")
print(",".join("U+" + defined[n] for n in listed))
PY
)

# Codepoints only: egui draws a glyph per character, so the ligatures (GSUB) go.
"$venv/bin/pyftsubset" "$crate_dir/MaterialSymbolsRounded-Regular.ttf" \
  --unicodes="$unicodes" --layout-features='' --output-file=assets/icons.ttf
ls -l assets/icons.ttf
