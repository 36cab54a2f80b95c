"""The mass balance's and the lots at risk's SQL text: named parameters only, and
the ones the models pass."""
import re

from serial_traceability.sql import lots_at_risk as risk_sql
from serial_traceability.sql import mass_balance as mass_balance_sql

BALANCE_PARAMS = {"lot_id", "uom_factor", "uom_category_id", "quarantine_ids", "max_depth"}


def _params(sql):
    return set(re.findall(r"%\((\w+)\)s", sql))


def test_statements_take_named_parameters_only():
    statements = (mass_balance_sql.LOT_UOM, mass_balance_sql.FOREIGN_UNITS,
                  mass_balance_sql.FLOWS, mass_balance_sql.STOCK, mass_balance_sql.OUTPUTS,
                  risk_sql.AT_RISK)
    for sql in statements:
        assert not re.search(r"%s|\{\w*\}", sql)
    for sql in statements[1:5]:
        assert _params(sql) <= BALANCE_PARAMS
    assert _params(risk_sql.AT_RISK) == {"lot_ids", "company_ids", "max_depth", "limit"}


def test_every_kind_of_flow_is_named():
    kinds = set(re.findall(r"\('(\w+)', -?1,", mass_balance_sql.FLOWS))
    assert kinds == {"received", "supplier_return", "produced", "consumed", "consumed_mo",
                     "shipped", "returned", "scrapped", "lost"}
