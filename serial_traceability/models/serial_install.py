# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What installing the addon derives from the history already in the database.

The addon keeps, as things happen, each lot's company, unit fields, warranty and
quality columns, the genealogy links and their kept closure. A database that had
years of production before the addon came needs them computed once, at install:

1. ``lot_company``: the company of each lot's first move, else its product's;
2. ``lot_computed``: the stored computed columns (warranty, quality and release
   state) that the ORM would otherwise compute record by record;
3. ``unit_fields``: who made, supplied and received each unit, where it is now;
4. ``lot_write``: what 1-3 computed (into work tables) written to the lots in one
   pass, their indexes built after it; then the company-scoped unique serial index;
5. ``links``: one genealogy link per done consumption line, in primary-key ranges,
   with the kept closure's trigger off; then the links of unbuilt units retired;
6. ``closure``: the kept forward closure, filled once from the links;
7. ``audit``: one audit trail entry saying what the install derived.

A step runs when what it fills is new: the schema hooks (``_auto_init`` of the lot
and of the link table, the link model's ``init``) schedule the steps whose column or
table they are about to create, and steps 1-6 run together in one post-init call,
in this order, in the transaction that creates the columns (so an install that
fails later leaves no half-filled column behind), before the foreign keys of the new
columns are added (each is then checked once, over the whole table). Step 7 runs
from the module's ``post_init_hook``, once the trail's table is committed (appending
reads the committed head on a second connection). An ``-u`` of an installed addon
finds nothing new and runs none of them. Every step is set-based (see
``sql/install.py``); each logs its time, the long ones their progress.
"""
import logging
import time

from odoo import api, models

from ..sql import genealogy as genealogy_sql
from ..sql import install as install_sql

_logger = logging.getLogger(__name__)

STEPS = ("lot_company", "lot_computed", "unit_fields", "lot_write", "links", "closure",
         "audit")
LOT_STEPS = ("lot_company", "lot_computed", "unit_fields")
COMPUTED_COLUMNS = ("warranty_start", "warranty_end", "quality_state", "release_state")
UNIT_COLUMNS = ("production_id", "supplier_id", "customer_id", "ship_date", "unit_state",
                "delivery_picking_id", "current_location_id")
LINK_CHUNK = 250000   # move lines per links statement
LOT_CHUNK = 100000    # lots per unit fields and lot write statement
ROOT_CHUNK = 25000    # roots per closure rebuild call
# for the sorts of the set-based passes and the index builds, this transaction only
SETTINGS = (("work_mem", "256MB"), ("maintenance_work_mem", "256MB"))


class SerialInstall(models.AbstractModel):
    _name = "serial.install"
    _description = "Install backfills from the history in the database"

    # -- scheduling -------------------------------------------------------------------
    @api.model
    def _todo(self):
        """{step: details} scheduled in this transaction (the cursor's cache)."""
        return self.env.cr.cache.setdefault("serial_install_todo", {})

    @api.model
    def _schedule(self, step, detail=None):
        """Run ``step`` with the others at the end of this schema update;
        ``detail``: a column name the step is to fill (``lot_computed``)."""
        assert step in STEPS, step
        self._todo().setdefault(step, set())
        if detail:
            self._todo()[step].add(detail)
        if not self.env.cr.cache.get("serial_install_queued"):
            self.env.cr.cache["serial_install_queued"] = True
            self.pool.post_init(self._run_scheduled)

    @api.model
    def _lot_company_done(self):
        return "lot_company" not in self._todo()

    @api.model
    def _run_scheduled(self):
        todo = self.env.cr.cache.pop("serial_install_todo", {})
        self.env.cr.cache.pop("serial_install_queued", None)
        columns = todo.get("lot_computed") or ()
        return self._install_backfill(list(todo), columns=columns)

    # -- the backfills ------------------------------------------------------------------
    @api.model
    def _install_backfill(self, steps=STEPS, columns=COMPUTED_COLUMNS):
        """Run ``steps`` (in the order of STEPS; ``lot_write`` comes with any lot
        step) on the whole database; ``columns``: the computed lot columns
        ``lot_computed`` fills. Returns ``{step: (what was done, seconds)}``."""
        columns = columns if "lot_computed" in steps else ()
        steps = set(steps) | ({"lot_write"} if set(steps) & set(LOT_STEPS) else set())
        steps = [step for step in STEPS if step in steps]
        if not steps:
            return {}
        cr = self.env.cr
        saved = self._set(SETTINGS)
        started = time.time()
        _logger.info("Deriving from the history in the database: %s", ", ".join(steps))
        results = {}
        if set(steps) & set(LOT_STEPS):
            # right row estimates for the new (empty) columns before planning on them
            cr.execute("ANALYZE stock_production_lot")
        if set(steps) & set(LOT_STEPS + ("links",)):
            results["skipped_lines"] = self._report_unreadable_lines()
        for step in steps:
            t = time.time()
            if step in ("lot_computed", "lot_write"):
                done = getattr(self, "_backfill_" + step)(columns)
            else:
                done = getattr(self, "_backfill_" + step)()
            results[step] = (done, time.time() - t)
            _logger.info("Install backfill step %s: %s in %.1f s", step, done, time.time() - t)
        self._set(saved)
        _logger.info("Install backfills done in %.1f s", time.time() - started)
        return results

    @api.model
    def _set(self, settings):
        """Set these (name, value) for this transaction; returns the old values."""
        old = []
        for name, value in settings:
            self.env.cr.execute("SELECT current_setting(%s), set_config(%s, %s, true)",
                                (name, name, value))
            old.append((name, self.env.cr.fetchone()[0]))
        return old

    @api.model
    def _ranges(self, table, chunk):
        """``[(first id, stop id, rows so far)]``: ``table`` in chunks of ``chunk`` rows,
        and its row count."""
        cr = self.env.cr
        cr.execute(install_sql.table_size_sql(table))
        last, total = cr.fetchone()
        cr.execute(install_sql.chunk_starts_sql(table), {"chunk": chunk})
        return install_sql.ranges(cr.fetchall(), last, total), total

    @api.model
    def _work_table(self, name):
        for statement in install_sql.work_table_sql(name):
            self.env.cr.execute(statement)

    @api.model
    def _drop_indexes(self, table, columns):
        """Drop the plain indexes of ``table`` on ``columns``; their definitions."""
        cr = self.env.cr
        cr.execute(install_sql.INDEXES_ON, {"table": table, "columns": list(columns)})
        found = cr.fetchall()
        for name, _definition in found:
            cr.execute(install_sql.drop_index_sql(name))
        return [definition for _name, definition in found]

    @api.model
    def _create_indexes(self, definitions):
        for definition in definitions:
            self.env.cr.execute(definition)

    @api.model
    def _report_unreadable_lines(self):
        self.env.cr.execute(install_sql.UNREADABLE_LINES)
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            _logger.warning(
                "%d done move lines carry a lot of another product; the install leaves "
                "them out of lot companies, unit fields and genealogy links. Move line "
                "ids: %s", len(ids), install_sql.some_ids(ids))
        return len(ids)

    @api.model
    def _backfill_lot_company(self):
        cr = self.env.cr
        self._work_table("serial_install_lot_company")
        cr.execute(install_sql.LOT_COMPANY)
        todo = cr.rowcount
        cr.execute(install_sql.LOTS_WITHOUT_COMPANY)
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            _logger.warning(
                "%d lots have no move the install can read and a product without a "
                "company: they keep no company (shared by all companies). Lot ids: %s",
                len(ids), install_sql.some_ids(ids))
        return "%s lots placed in a company, %s left without" % (
            "{:,}".format(todo - len(ids)), "{:,}".format(len(ids)))

    @api.model
    def _backfill_lot_computed(self, columns):
        if "warranty_start" not in columns:
            return "nothing to compute before the write"
        self._work_table("serial_install_lot_warranty")
        self.env.cr.execute(install_sql.WARRANTY_START)
        return "warranty start of %s lots" % "{:,}".format(self.env.cr.rowcount)

    @api.model
    def _backfill_unit_fields(self):
        def log(done, total):
            _logger.info(install_sql.progress("Backfilling unit fields", done, total, "lots"))
        self._work_table("serial_install_lot_unit")
        found = self.env["stock.production.lot"]._backfill_unit_fields(LOT_CHUNK, log)
        return "%s lots moved" % "{:,}".format(found)

    @api.model
    def _backfill_lot_write(self, columns):
        cr = self.env.cr
        tables = []
        for name in sorted(install_sql.WORK_TABLES):  # those this run filled
            cr.execute("SELECT to_regclass(%s)", ("pg_temp." + name,))
            if cr.fetchone()[0]:
                tables.append(name)
        written = [c for t in tables for c in
                   install_sql.work_columns(install_sql.WORK_TABLES[t])]
        indexes = self._drop_indexes("stock_production_lot", written + list(columns))
        lots = 0
        if tables:
            cr.execute(install_sql.drop_table_sql(install_sql.LOT_TABLE))
            cr.execute(install_sql.lot_merge_sql(tables))
            sql = install_sql.lot_write_sql(written)
            chunks, total = self._ranges("stock_production_lot", LOT_CHUNK)
            for start, stop, done in chunks:
                cr.execute(sql, {"first": start, "stop": stop})
                lots += cr.rowcount
                _logger.info(install_sql.progress("Writing lot columns", done, total, "lots"))
            for table in tables + [install_sql.LOT_TABLE]:
                cr.execute(install_sql.drop_table_sql(table))
        if "warranty_end" in columns:
            cr.execute(install_sql.WARRANTY_END)
        if "quality_state" in columns:
            cr.execute(install_sql.QUALITY_STATE)
        self._create_indexes(indexes)
        if "company_id" in written:
            self.env["stock.production.lot"]._create_serial_unique_index()
        cr.execute("ANALYZE stock_production_lot")
        self.env["stock.production.lot"].invalidate_cache()
        return "%s lots written, %d indexes built after" % ("{:,}".format(lots), len(indexes))

    @api.model
    def _backfill_links(self):
        cr = self.env.cr
        chunks, total = self._ranges("stock_move_line", LINK_CHUNK)
        sql, links = install_sql.links_sql(genealogy_sql.EDGE_SOURCE), 0
        # one closure fill at the end instead of the trigger's update per link
        cr.execute(install_sql.REACH_TRIGGER.format(action="DISABLE"))
        indexes = self._drop_indexes("serial_genealogy_edge", install_sql.EDGE_COLUMNS)
        for start, stop, done in chunks:
            cr.execute(sql, {"first": start, "stop": stop})
            links += cr.rowcount
            _logger.info(install_sql.progress(
                "Backfilling genealogy links", done, total, "move lines"))
        self._create_indexes(indexes)
        cr.execute("ANALYZE serial_genealogy_edge")
        cr.execute(install_sql.UNBUILT)
        retired = cr.rowcount
        cr.execute(install_sql.REACH_TRIGGER.format(action="ENABLE"))
        self.env["serial.genealogy.edge"].invalidate_cache()
        return "%s links from %s move lines, %s retired by unbuilds" % (
            "{:,}".format(links), "{:,}".format(total), "{:,}".format(retired))

    @api.model
    def _backfill_closure(self):
        cr = self.env.cr
        cr.execute(install_sql.CLOSURE_ROOTS)
        roots = [row[0] for row in cr.fetchall()]
        indexes = self._drop_indexes("serial_genealogy_reach", ("lot_id",))
        done = 0
        for part in install_sql.chunks(roots, ROOT_CHUNK):
            cr.execute(install_sql.CLOSURE_FILL, {"roots": part})
            done += len(part)
            _logger.info(install_sql.progress(
                "Filling the kept genealogy closure", done, len(roots), "lots"))
        self._create_indexes(indexes)
        cr.execute("ANALYZE serial_genealogy_reach")
        cr.execute("SELECT count(*) FROM serial_genealogy_reach")
        rows = cr.fetchone()[0]
        return "%s rows from %s lots" % ("{:,}".format(rows), "{:,}".format(len(roots)))

    @api.model
    def _backfill_audit(self):
        """The trail starts by saying what the install derived, and when."""
        cr = self.env.cr
        cr.execute("SELECT (SELECT count(*) FROM serial_genealogy_edge),"
                   " (SELECT count(*) FROM serial_genealogy_reach),"
                   " (SELECT count(*) FROM stock_production_lot)")
        links, reach, lots = cr.fetchone()
        module = self.env["ir.module.module"].search([("name", "=", "serial_traceability")])
        self.env["serial.audit.entry"]._log(
            module, "install_backfill",
            {"genealogy_links": (None, links), "kept_closure_rows": (None, reach),
             "lots": (None, lots)},
            reason="Derived from the history in the database when the addon was installed")
        return "1 entry"
