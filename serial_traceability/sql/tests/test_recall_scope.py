"""The recall scope's SQL text: parameters only, one action per status, columns
that line up with the lines table."""
import re

import pytest

from serial_traceability.sql import genealogy as genealogy_sql
from serial_traceability.sql import recall_scope as recall_sql

SCOPE_PARAMS = {"lot_ids", "company_ids", "max_depth", "include_suspect_stock",
                "include_wip", "include_shipped", "keep_used"}


def _params(sql):
    return set(re.findall(r"%\((\w+)\)s", sql))


def test_every_status_has_an_action():
    assert set(recall_sql.ACTIONS) == set(recall_sql.STATUSES)


def test_statements_take_named_parameters_only():
    assert _params(recall_sql.scope_sql()) == SCOPE_PARAMS
    assert _params(recall_sql.preview_sql()) == SCOPE_PARAMS | {"sample_size", "top_size"}
    assert _params(recall_sql.insert_lines_sql()) == SCOPE_PARAMS | {"recall_id"}
    assert _params(recall_sql.refresh_lines_sql()) == (
        SCOPE_PARAMS - {"max_depth"}) | {"recall_ids"}
    for sql in (recall_sql.scope_sql(), recall_sql.preview_sql(),
                recall_sql.insert_lines_sql(), recall_sql.refresh_lines_sql()):
        # no positional or half-formatted placeholders left behind
        assert not re.search(r"%s|\{\w*\}", sql)


def test_insert_fills_the_scope_columns():
    sql = recall_sql.insert_lines_sql()
    columns = sql[sql.index("INSERT INTO serial_recall_line"):sql.index("SELECT %(recall_id)s")]
    for column in set(recall_sql.SCOPE_COLUMNS) - {"parent_lot_id", "production_id", "uom_id"}:
        assert column in columns
    assert "ON CONFLICT (recall_id, lot_id) DO NOTHING" in sql


def test_many_roots_walk_keeps_the_single_root_functions():
    for direction in ("forward", "backward"):
        assert _params(genealogy_sql.walk_many_cte(direction)) == {
            "lot_ids", "company_ids", "max_depth"}
        assert "= ANY(%(lot_ids)s)" in genealogy_sql.walk_many_cte(direction)
        assert _params(genealogy_sql.trace_sql(direction)) == {
            "lot_id", "company_ids", "max_depth"}
    with pytest.raises(ValueError):
        genealogy_sql.walk_many_cte("sideways")
