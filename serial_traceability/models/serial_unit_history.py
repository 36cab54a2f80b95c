# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One timeline per lot/serial, read straight from the host's records.

``serial.unit.history`` is an SQL view: a second copy of the facts could drift, a
view cannot. Its SQL is the ``UNION ALL`` of ``_history_sources()``; every SELECT
there returns the columns of ``HISTORY_COLUMNS`` in that order.

Adding events (quality, service, recall, ...), in a file of your own::

    class SerialUnitHistory(models.Model):
        _inherit = "serial.unit.history"
        event_type = fields.Selection(selection_add=[("quality", "Quality event")])

        @api.model
        def _history_sources(self):
            return super()._history_sources() + ["SELECT %s AS id, ... FROM my_table q"
                                                 % self._history_id("q.id", 1)]

Ids must be unique across sources. The host's move lines (source 0) keep their own
id, as a bigint (an index on ``stock_move_line ((id::bigint))`` serves reads by id).
Every other source uses a negative id: ``_history_id(column, slot)`` gives
``-(column * 64 + slot)`` with a slot of its own, 1 to 63. Slots taken: 1 quality
events, 2 service/warranty, 3 recalls, 4 signatures and audit, 5 labels and serial
generation, 6 holds, 7 releases for distribution.

Each row belongs to a company (``company_id``, the record rules read it): the
company of the stock location the event left, else of the one it reached, else the
unit's own. Vendors', customers' and virtual locations belong to no company, so a
rule on the location alone showed every company's receipts, returns and builds to
all. The view computes it, so sources need not know about it.

The view is (re)built at the end of each module load (``post_init``), once every
table a source reads exists. Filtering by ``lot_id`` reaches the host's move lines
through the index ``stock_move_line_serial_lot_date_idx`` (see ``sql/genealogy.py``).
"""
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..sql import unit_history as history_sql

HISTORY_COLUMNS = ("id", "lot_id", "date", "event_type", "partner_id", "user_id",
                   "reference", "res_model", "res_id", "production_id", "picking_id",
                   "location_id", "location_dest_id", "description")

EVENT_TYPES = [
    ("received", "Received"),
    ("produced", "Built"),
    ("consumed", "Consumed"),
    ("moved", "Internal move"),
    ("shipped", "Shipped"),
    ("returned", "Returned by customer"),
    ("supplier_return", "Returned to supplier"),
    ("scrapped", "Scrapped / lost"),
    ("inventory", "Inventory adjustment"),
    ("unbuilt", "Unbuilt"),
    ("recovered", "Recovered by unbuild"),
]


class SerialUnitHistory(models.Model):
    _name = "serial.unit.history"
    _description = "Unit history (lot/serial timeline)"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"

    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", string="Product",
                                 readonly=True)
    date = fields.Datetime(readonly=True)
    event_type = fields.Selection(EVENT_TYPES, "Event", readonly=True)
    partner_id = fields.Many2one("res.partner", "Partner", readonly=True)
    user_id = fields.Many2one("res.users", "By", readonly=True)
    reference = fields.Char(readonly=True)
    res_model = fields.Char("Document model", readonly=True)
    res_id = fields.Integer("Document id", readonly=True)
    production_id = fields.Many2one("mrp.production", "Manufacturing order", readonly=True)
    picking_id = fields.Many2one("stock.picking", "Transfer", readonly=True)
    location_id = fields.Many2one("stock.location", "From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", "To", readonly=True)
    description = fields.Char("Details", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)

    # -- the view -----------------------------------------------------------------
    @api.model
    def _history_id(self, column, slot):
        """SQL text of a unique negative row id for sources other than move lines."""
        if not isinstance(slot, int) or not 1 <= slot <= 63:
            raise ValueError("History id slots go from 1 to 63, not %r" % (slot,))
        return "-((%s)::bigint * 64 + %d)" % (column, slot)

    @api.model
    def _history_sources(self):
        """SELECT statements whose UNION ALL is the history; extend, don't replace."""
        return [history_sql.MOVE_LINE_SOURCE]

    @api.model
    def _history_view_sql(self):
        sources = self._history_sources()
        columns = ", ".join("src.%s" % column for column in HISTORY_COLUMNS)
        return "CREATE VIEW %s AS SELECT %s, %s AS company_id FROM (\n%s\n) src" % (
            self._table, columns, history_sql.COMPANY_OF_ROW, "\nUNION ALL\n".join(sources))

    @api.model_cr_context
    def _auto_init(self):
        res = super(SerialUnitHistory, self)._auto_init()
        # After every model of this load has its table: sources may read other
        # modules' or later files' tables. Not in init(), which extensions may define.
        self.pool.post_init(self._create_view)
        return res

    @api.model
    def _create_view(self):
        self.env.cr.execute("DROP VIEW IF EXISTS %s CASCADE" % self._table)
        self.env.cr.execute(self._history_view_sql())
        self.env.cr.execute(history_sql.history_function_ddl(self.env.cr._cnx.server_version))
        for name, (table, expressions) in history_sql.HISTORY_INDEXES.items():
            tools.create_index(self.env.cr, name, table, expressions)

    # -- reading ------------------------------------------------------------------
    @api.model
    def _component_rows(self, lots):
        """Ids of the history rows of what went into ``lots`` at every level: the
        consumption lines of their genealogy's links (each says how much of the
        component went into which unit through which MO, and where the component
        came from), never a component's other events (a lot's receipt of 100 units
        is not this unit's)."""
        links = []
        for lot in lots:
            links += [(row["lot_id"], row["parent_lot_id"], row["production_id"])
                      for row in lot.get_genealogy("backward")]
        if not links:
            return []
        components, parents, productions = (list(column) for column in zip(*links))
        self.env.cr.execute("""
            SELECT DISTINCT e.move_line_id::bigint FROM serial_genealogy_edge e
              JOIN unnest(%s::int[], %s::int[], %s::int[]) AS link(component, parent, mo)
                ON e.component_lot_id = link.component AND e.parent_lot_id = link.parent
               AND e.production_id IS NOT DISTINCT FROM link.mo
             WHERE e.active AND e.move_line_id IS NOT NULL""",
                            (components, parents, productions))
        return sorted(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _domain_for_lots(self, lots, include_components=False):
        """The history rows of ``lots`` and, with ``include_components``, what went
        into them at every level (``_component_rows``)."""
        domain = [("lot_id", "in", lots.ids)]
        if include_components:
            component_rows = self._component_rows(lots)
            if component_rows:
                domain = ["|"] + domain + [("id", "in", component_rows)]
        return domain

    @api.model
    def _rows_of_lots(self, lots, include_components=False, limit=None):
        """``_read_rows`` of ``_domain_for_lots``. A unit's own rows come through
        ``HISTORY_FUNCTION``; with components, the view (a component lot can have
        thousands of rows that only the event filter, pushed into the view, skips)."""
        domain = self._domain_for_lots(lots, include_components)
        own = domain == [("lot_id", "in", lots.ids)]
        return self._read_rows(domain, limit=limit, lot_ids=lots.ids if own else None)

    @api.model
    def _read_rows(self, domain, limit=None, lot_ids=None):
        """Rows as dicts in one query, with the ORM's access rules applied. With
        ``lot_ids`` (every lot ``domain`` can match), the rows come through
        ``HISTORY_FUNCTION``, whose plan the connection keeps."""
        self.check_access_rights("read")
        query = self._where_calc(domain)
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        if lot_ids is not None:
            table = '"%s"' % self._table
            from_clause = from_clause.replace(
                table, "serial_unit_history_of(%%s::int[]) AS %s" % table, 1)
            params = [list(lot_ids)] + list(params)
        columns = ", ".join('"%s"."%s"' % (self._table, c) for c in HISTORY_COLUMNS)
        sql = "SELECT %s FROM %s WHERE %s ORDER BY %s" % (
            columns, from_clause, where_clause or "TRUE",
            '"%s"."date" DESC, "%s"."id" DESC' % (self._table, self._table))
        if limit:
            sql += " LIMIT %d" % int(limit)
        self.env.cr.execute(sql, params)
        return self.env.cr.dictfetchall()

    # -- buttons ------------------------------------------------------------------
    @api.multi
    def action_open_document(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            raise UserError(_("This event has no document to open."))
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access_rights("read")
        record.check_access_rule("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.multi
    def action_open_genealogy(self):
        self.ensure_one()
        return self.lot_id.action_trace_backward()
