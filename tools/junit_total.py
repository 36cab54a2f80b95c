"""Print one closing line for all the test runs of `make test`: 'N passed, N failed'."""
import sys
import xml.etree.ElementTree as ET

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        print("missing or unreadable test report: %s" % path)
        totals["errors"] += 1
        continue
    for suite in root.iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print("%d passed, %d failed, %d skipped" % (passed, failed, totals["skipped"]))
sys.exit(1 if failed or not passed else 0)
