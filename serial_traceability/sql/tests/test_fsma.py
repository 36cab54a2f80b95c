"""The FSMA 204 export's SQL text: named parameters only, the ones the wizard passes."""
import re

from serial_traceability.sql import fsma as fsma_sql

FILTER_PARAMS = {"company_ids", "product_ids", "lot_ids", "date_from", "date_to"}


def _params(sql):
    return set(re.findall(r"%\((\w+)\)s", sql))


def test_statements_take_named_parameters_only():
    for sql in (fsma_sql.ANY_EVENT, fsma_sql.EVENTS):
        assert not re.search(r"%s|\{\w*\}", sql)
    assert _params(fsma_sql.ANY_EVENT) == FILTER_PARAMS
    assert _params(fsma_sql.EVENTS) == FILTER_PARAMS | {"after", "batch"}


def test_every_critical_tracking_event_is_named():
    kinds = set(re.findall(r"THEN '(\w+)'", fsma_sql._EVENT))
    assert kinds == {"receiving", "transformation_input", "transformation_output", "shipping"}
