"""Build the addon's README.rst from its readme/*.rst fragments (OCA layout)."""
import os
import sys

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "serial_traceability")
SECTIONS = [("DESCRIPTION.rst", None), ("CONFIGURE.rst", "Configuration"), ("USAGE.rst", "Usage"),
            ("ROADMAP.rst", "Known issues / Roadmap"), ("CONTRIBUTORS.rst", "Contributors")]


def build():
    parts = ["===================\nSerial Traceability\n===================\n"]
    for name, title in SECTIONS:
        path = os.path.join(ADDON, "readme", name)
        if os.path.exists(path):
            if title:
                parts.append("%s\n%s\n" % (title, "=" * len(title)))
            with open(path, encoding="utf-8") as handle:
                parts.append(handle.read().strip() + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    target = os.path.join(ADDON, "README.rst")
    text = build()
    current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
    if current != text:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        print("README.rst rebuilt from readme/: commit it")
        sys.exit(1)
