from . import test_genealogy
from . import test_traceability_report
