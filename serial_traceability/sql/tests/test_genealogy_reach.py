"""The kept forward closure's SQL text: nothing left to format, functions created
before their callers, and the readers' rules (no backward closure, root left out).
Its behaviour against the walk is tested on PostgreSQL, in
``serial_traceability/tests/test_genealogy_reach.py``."""
import re

import pytest

from serial_traceability.sql import genealogy as genealogy_sql
from serial_traceability.sql import genealogy_reach as genealogy_reach_sql


def _created(statement):
    match = re.search(r"CREATE (?:OR REPLACE )?FUNCTION (\w+)", statement)
    return match and match.group(1)


@pytest.mark.parametrize("version", [100000, 150000])
def test_ddl_is_complete_text(version):
    for statement in genealogy_reach_sql.ddl(version):
        # everything is a function argument or a literal: no placeholder survives
        assert not re.search(r"%\(\w+\)s|%s|\{\w*\}", statement)
    assert ("SET jit = off" in genealogy_reach_sql.rebuild_function(version)) == (
        version >= 110000)


def test_functions_are_created_before_their_callers():
    created = [_created(s) for s in genealogy_reach_sql.ddl(150000) if _created(s)]
    assert created.index("serial_genealogy_reach_rebuild") < created.index(
        "serial_genealogy_reach_forget")
    assert created.index("serial_genealogy_reach_forget") < created.index(
        "serial_genealogy_reach_sync")
    assert created.index("serial_genealogy_reach_add") < created.index(
        "serial_genealogy_reach_sync")


def test_rebuild_walks_every_company_without_a_depth_limit():
    sql = genealogy_reach_sql.rebuild_function(150000)
    assert "e.company_id = ANY(companies)" in sql
    assert "NULL::int IS NULL" in sql
    assert "= ANY(roots)" in sql


def test_only_the_forward_closure_is_kept():
    assert "serial_genealogy_reach_forward(" in genealogy_sql.walk_sql("forward", kept=True)
    assert "serial_genealogy_reach_trace_forward(" in genealogy_sql.trace_sql(
        "forward", kept=True)
    with pytest.raises(ValueError):
        genealogy_sql.walk_sql("backward", kept=True)
    assert "serial_genealogy_walk_backward(" in genealogy_sql.walk_sql("backward")


def test_readers_leave_out_links_back_into_the_root():
    assert "r.lot_id <> %(lot_id)s" in genealogy_sql.REACH
    assert "WHERE lot_id <> %(lot_id)s" in genealogy_sql.CLOSURE
    assert "WHERE lot_id <> root_lot_id" in genealogy_sql.UNIT_CLOSURE_MANY


def test_uninstall_drops_every_function_it_created():
    dropped = " ".join(genealogy_sql.drop_ddl() + list(genealogy_reach_sql.DROP))
    created = [_created(s) for s in genealogy_sql.function_ddl(150000)
               + genealogy_reach_sql.ddl(150000)] + ["serial_genealogy_sync"]
    for name in filter(None, created):
        assert "FUNCTION IF EXISTS %s(" % name in dropped
    assert "DROP TRIGGER IF EXISTS serial_genealogy_sync ON stock_move_line" in dropped
