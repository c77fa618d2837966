"""Copy the pinned npm front-end assets into the git-ignored static folder.

Run by `make` after `npm ci`; the browser loads them from our own host only (no CDN: users
sit on intranets). Fails loudly when a file is missing so a broken install never serves a
page without its CSS/JS.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DEST = ROOT / "src" / "taizhang" / "static" / "vendor"

# (source under node_modules, destination under static/vendor). Source maps are copied too:
# the minified files name them, and the manifest storage refuses dangling references.
FILES = [
    ("@tabler/core/dist/css/tabler.min.css", "tabler/tabler.min.css"),
    ("@tabler/core/dist/css/tabler.min.css.map", "tabler/tabler.min.css.map"),
    ("@tabler/core/dist/js/tabler.min.js", "tabler/tabler.min.js"),
    ("@tabler/core/dist/js/tabler.min.js.map", "tabler/tabler.min.js.map"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
    ("echarts/i18n/langZH.js", "echarts/langZH.js"),
]


def main() -> int:
    missing = [src for src, _ in FILES if not (NODE / src).is_file()]
    if missing:
        print("vendor_assets: missing after npm ci: " + ", ".join(missing), file=sys.stderr)
        return 1
    for src, dest in FILES:
        target = DEST / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    print(f"vendor_assets: {len(FILES)} files copied to {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
