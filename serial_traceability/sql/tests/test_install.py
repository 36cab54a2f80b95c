"""The install backfills' SQL text and chunking. Their results against what the
addon keeps at run time are tested on PostgreSQL in
``serial_traceability/tests/test_install_backfill.py`` and, with a real install,
``benchmarks/install_on_history.py``."""
import re

import pytest

from serial_traceability.sql import genealogy as genealogy_sql
from serial_traceability.sql import install as install_sql


def test_ranges_count_rows_not_ids():
    # ids 1..10 then 1000..1009, chunks of 4 rows: (id, row number) of each start
    starts = [(1, 1), (5, 5), (9, 9), (1002, 13), (1006, 17)]
    assert install_sql.ranges(starts, 1009, 20) == [
        (1, 5, 4), (5, 9, 8), (9, 1002, 12), (1002, 1006, 16), (1006, 1010, 20)]
    assert install_sql.ranges([], None, 0) == []


def test_chunks_and_log_texts():
    assert install_sql.chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    with pytest.raises(ValueError):
        install_sql.chunks([1], 0)
    assert (install_sql.progress("Backfilling genealogy links", 1200000, 2190960,
                                 "move lines")
            == "Backfilling genealogy links: 1,200,000 / 2,190,960 move lines")
    assert install_sql.some_ids([3, 1, 2]) == "3, 1, 2"
    assert install_sql.some_ids(range(25), 3) == "0, 1, 2 and 22 more"


def test_chunked_tables_only():
    assert "FROM stock_move_line)" in install_sql.chunk_starts_sql("stock_move_line")
    with pytest.raises(ValueError):
        install_sql.chunk_starts_sql("res_users; DROP TABLE x")


def test_lot_write_keeps_a_company_and_sets_the_rest():
    columns = install_sql.work_columns(install_sql.WORK_TABLES["serial_install_lot_unit"])
    assert columns[0] == "production_id" and "lot_id" not in columns
    assert install_sql.set_columns(["company_id", "unit_state"]) == (
        "company_id = COALESCE(v.company_id, l.company_id), unit_state = v.unit_state")


def test_links_read_the_trigger_source_in_a_range_of_readable_lines():
    sql = install_sql.links_sql(genealogy_sql.EDGE_SOURCE)
    assert genealogy_sql.EDGE_SOURCE.strip() in sql
    assert "ml.id >= %(first)s AND ml.id < %(stop)s" in sql
    assert install_sql.READABLE in sql
    assert not re.search(r"\{\w*\}", sql)
    for name in ("LOT_COMPANY", "WARRANTY_START", "UNBUILT", "QUALITY_STATE"):
        assert not re.search(r"\{\w*\}", getattr(install_sql, name)), name
