from . import test_genealogy
