# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The unit's record as data: the device history record of 21 CFR 820.184 for a
serial, the batch record for a lot, the receiving record for a purchased unit.

``get_device_history_record()`` returns what the printed record shows (the report
renders this dict and nothing else), so the PDF and the data cannot disagree. It
reads only: printing writes nothing.

The as-built record comes from the per-serial genealogy links
(``serial_genealogy_walk_backward``): a unit of a multi-unit MO lists its own
components, never a sibling's.
"""
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..lib import gs1
from ..sql import device_history as dhr_sql
from .serial_quality_event import COVERAGE_KINDS

TRACE_GROUP = "serial_traceability.group_traceability_user"
AFTER_RELEASE_TYPES = ("shipped", "returned", "supplier_return", "scrapped", "service")


def _dt(value):
    """A stored datetime/date (string) as shown on the record, or ''."""
    return value or ""


def _date_of(value):
    if not value:
        return None
    if len(value) > 10:
        return fields.Datetime.from_string(value).date()
    return fields.Date.from_string(value)


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # -- the contract with the release gate ---------------------------------------
    @api.multi
    def _serial_release_record(self):
        """The unit's release for distribution: ``{'released', 'date', 'user_name',
        'meaning', 'signature_id'}``, or ``{}`` when it was not released. The
        release gate overrides this; without it nothing is ever released. Defers to
        an implementation loaded before this file, so the order of the model files
        does not decide which one answers."""
        self.ensure_one()
        parent = getattr(super(StockProductionLot, self), "_serial_release_record", None)
        return parent() if parent else {}

    # -- the record --------------------------------------------------------------
    @api.multi
    def get_device_history_record(self):
        """The record of this unit (a dict, see the module docstring); reads only."""
        self.ensure_one()
        return self._device_history_records()[0]

    @api.multi
    def _device_history_records(self):
        if not self.env.user.has_group(TRACE_GROUP):
            raise AccessError(_("Only traceability users may print a device history record."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        return [lot._device_history_record() for lot in self]

    @api.multi
    def _device_history_record(self):
        self.ensure_one()
        product = self.product_id
        production = self.production_id
        if production:
            kind = "batch" if product.tracking == "lot" else "dhr"
        else:
            kind = "receiving"
        company = self.env.user.company_id
        record = {
            "kind": kind,
            "lot_id": self.id,
            "lot_name": self.name,
            "product_id": product.id,
            "product_name": product.display_name,
            "tracking": product.tracking,
            "company_name": company.name,
            "company_address": ", ".join(filter(None, [
                company.street, company.zip, company.city, company.country_id.name])),
            "printed_on": fields.Datetime.now(),
            "production": self._dhr_production(production),
            "receiving": self._dhr_receiving(),
            "release": dict(self._serial_release_record() or {}),
            "labels": self._dhr_labels(),
            "udi": self._dhr_udi(production),
        }
        record.update(self._dhr_as_built(production))
        record["acceptance"] = self._dhr_acceptance(record["component_lot_ids"])
        record["work_orders"] = self._dhr_work_orders(production)
        record["after_release"] = self._dhr_after_release()
        if kind == "batch":
            record["batch"] = self._dhr_batch(production, record)
        return record

    def _dhr_production(self, production):
        """Clauses (a) and (b): dates and quantity of the MO, the unit's place in it."""
        if not production:
            return {}
        self.env.cr.execute(dhr_sql.PRODUCED_UNITS, {"production_id": production.id})
        units = self.env.cr.dictfetchall()
        position = [i for i, row in enumerate(units, 1) if row["lot_id"] == self.id]
        own = [row for row in units if row["lot_id"] == self.id]
        return {
            "production_id": production.id,
            "name": production.name,
            "state": production.state,
            "date_planned_start": _dt(production.date_planned_start),
            "date_start": _dt(production.date_start),
            "date_finished": _dt(production.date_finished),
            "production_date": _dt(self.production_date) or (
                own and own[0]["date"] or ""),
            "product_qty": production.product_qty,
            "qty_produced": sum(row["qty"] for row in units),
            "units_produced": len(units),
            "unit_qty": own and own[0]["qty"] or 0.0,
            "position": position and position[0] or 0,
            "uom": production.product_id.uom_id.name,
            "bom": production.bom_id.display_name or "",
            "responsible": production.user_id.name or "",
        }

    def _dhr_receiving(self):
        """The receipts of the unit from a supplier (all a purchased unit has)."""
        lines = self.env["stock.move.line"].search([
            ("lot_id", "=", self.id), ("state", "=", "done"),
            ("location_id.usage", "=", "supplier")], order="date, id")
        return [{
            "date": line.date,
            "reference": line.picking_id.name or line.reference or "",
            "partner": line.picking_id.partner_id.display_name or "",
            "qty": line.product_uom_id._compute_quantity(
                line.qty_done, line.product_id.uom_id, round=False),
            "uom": line.product_id.uom_id.name,
            "vendor_lot": self.vendor_lot or "",
        } for line in lines]

    def _dhr_acceptance(self, component_lot_ids):
        """Clause (d): approved quality events of the unit and of every component in
        its build, and every non-conformance (open ones too)."""
        lot_ids = [self.id] + list(component_lot_ids)
        events = self.env["serial.quality.event"].search([
            ("lot_ids", "in", lot_ids), ("kind", "not in", COVERAGE_KINDS),
            "|", ("state", "=", "done"), ("kind", "=", "non_conformance")],
            order="date, id")
        kinds = dict(events._fields["kind"].selection)
        results = dict(events._fields["result"].selection)
        rows = []
        for event in events:
            signatures = event.signature_ids
            rows.append({
                "name": event.name,
                "kind": event.kind,
                "kind_label": kinds.get(event.kind, event.kind),
                "result": results.get(event.result, "") if event.result else "",
                "state": event.state,
                "date": event.date,
                "units": ", ".join(sorted(
                    event.lot_ids.filtered(lambda l: l.id in lot_ids).mapped("name"))),
                "own": self in event.lot_ids,
                "description": event.description or "",
                "measurements": [{
                    "parameter": m.parameter, "value": m.value, "uom": m.uom or "",
                    "limit_kind": m.limit_kind, "min_value": m.min_value,
                    "max_value": m.max_value, "passed": m.passed,
                } for m in event.measurement_ids],
                "attachments": [{"name": a.name, "checksum": a.checksum or ""}
                                for a in event.attachment_ids],
                "signatures": [{
                    "signer": s.signer_name, "meaning": s.meaning,
                    "signed_at": s.signed_at} for s in signatures],
            })
        return rows

    def _dhr_labels(self):
        """Clause (e): the label print log, when the module keeping it is there."""
        if "serial.label.log" not in self.env:
            return {"available": False, "rows": []}
        logs = self.env["serial.label.log"].search([("lot_id", "=", self.id)],
                                                   order="printed_on, id")
        return {"available": True, "rows": [{
            "report_name": log.report_name, "element_string": log.element_string or "",
            "element_display": (log.element_string or "").replace(gs1.GS, "<GS>"),
            "user": log.user_id.name or "", "printed_on": log.printed_on,
            "copy_number": log.copy_number, "reprint": log.reprint,
        } for log in logs]}

    def _dhr_udi(self, production):
        """Clause (f): the UDI, device identifier (GTIN) plus production identifiers."""
        product = self.product_id
        gtin = product.barcode
        if not gtin or not gs1.is_valid_gtin(gtin):
            return {"device_identifier": "", "element_string": "", "hri": "",
                    "elements": [], "note": _("No device identifier: the product has no "
                                              "GTIN as its barcode.")}
        made = _date_of(self.production_date) or (
            production and _date_of(production.date_finished))
        expiry = self.env["serial.label"]._label_expiry(self)
        elements = [("01", gs1.normalize_gtin(gtin))]
        if made:
            elements.append(("11", made))
        if expiry:
            elements.append(("17", expiry))
        elements.append(("21" if product.tracking == "serial" else "10", self.name))
        try:
            data = gs1.build_element_string(elements)
            hri = gs1.build_element_string(elements, human_readable=True)
        except gs1.GS1Error as exc:
            return {"device_identifier": gs1.normalize_gtin(gtin), "element_string": "",
                    "hri": "", "elements": [], "note": str(exc)}
        return {
            "device_identifier": gs1.normalize_gtin(gtin),
            "element_string": data, "hri": hri, "note": "",
            "elements": [(ai, v.isoformat() if isinstance(v, datetime.date) else v)
                         for ai, v in elements],
        }

    def _dhr_as_built(self, production):
        """Every component at every level (tree order), untracked components."""
        cr = self.env.cr
        cr.execute(dhr_sql.AS_BUILT, {"lot_id": self.id,
                                      "company_ids": self.env.user.company_ids.ids})
        links = cr.dictfetchall()
        products = self.env["product.product"].browse(
            [r["product_id"] for r in links]).exists()
        uoms = self.env["product.uom"].browse([r["uom_id"] for r in links])
        partners = self.env["res.partner"].browse(
            [r["supplier_id"] for r in links if r["supplier_id"]])
        names = {
            "product": {p.id: p.display_name for p in products},
            "uom": {u.id: u.name for u in uoms},
            "partner": {p.id: p.display_name for p in partners},
        }
        children = {}
        for row in links:
            children.setdefault(row["parent_lot_id"], []).append(row)
        tree, seen = [], set()

        def visit(parent_id, level):
            for row in children.get(parent_id, []):
                key = (row["lot_id"], row["parent_lot_id"], row["production_id"])
                if key in seen:
                    continue
                seen.add(key)
                tree.append({
                    "level": level, "lot_id": row["lot_id"], "lot_name": row["lot_name"],
                    "parent_lot_id": row["parent_lot_id"],
                    "product": names["product"].get(row["product_id"], ""),
                    "qty": row["qty"] or 0.0, "uom": names["uom"].get(row["uom_id"], ""),
                    "supplier": names["partner"].get(row["supplier_id"], ""),
                    "vendor_lot": row["vendor_lot"] or "",
                })
                visit(row["lot_id"], level + 1)
        visit(self.id, 1)
        built = [self.id] + [r["lot_id"] for r in links]
        production_ids = [r["production_id"] for r in links if r["production_id"]]
        if production:
            production_ids.append(production.id)
        untracked = []
        if production_ids:
            cr.execute(dhr_sql.UNTRACKED, {"lot_ids": built,
                                           "production_ids": list(set(production_ids))})
            rows = cr.dictfetchall()
            lot_names = {lot.id: lot.name for lot in self.browse(built)}
            for row in rows:
                untracked.append({
                    "parent": lot_names.get(row["parent_lot_id"], ""),
                    "product": self.env["product.product"].browse(
                        row["product_id"]).display_name,
                    "qty": row["qty"],
                    "uom": self.env["product.uom"].browse(row["uom_id"]).name,
                })
        return {"as_built": tree, "untracked": untracked,
                "component_lot_ids": sorted(set(r["lot_id"] for r in links))}

    def _dhr_work_orders(self, production):
        if not production or "workorder_ids" not in production._fields:
            return []
        # a traceability user reads the MO but not the host's work order model: the
        # record shows them, read-only, to whoever may print it
        return [{
            "name": wo.name,
            "workcenter": wo.workcenter_id.name or "",
            "operators": ", ".join(sorted(set(wo.time_ids.mapped("user_id.name")))),
            "date_start": _dt(wo.date_start),
            "date_finished": _dt(wo.date_finished),
            "state": wo.state,
        } for wo in production.sudo().workorder_ids]

    def _dhr_after_release(self):
        """Shipments, returns, service and warranty events, recalls: what happened to
        the unit after it left manufacturing; not part of the released record."""
        rows = []
        history = self.env["serial.unit.history"].search([
            ("lot_id", "=", self.id), ("event_type", "in", AFTER_RELEASE_TYPES)],
            order="date, id")
        types = dict(history._fields["event_type"].selection)
        for row in history:
            rows.append({
                "date": row.date, "event": types.get(row.event_type, row.event_type),
                "reference": row.reference or "", "partner": row.partner_id.display_name
                or "", "description": row.description or "",
            })
        recall_lines = self.env["serial.recall.line"].search([
            ("lot_id", "=", self.id), ("recall_id.state", "!=", "draft")])
        for line in recall_lines:
            recall = line.recall_id
            rows.append({
                "date": recall.create_date, "event": _("Recall"),
                "reference": recall.name, "partner": line.partner_id.display_name or "",
                "description": recall.reason or "",
            })
        rows.sort(key=lambda r: r["date"] or "")
        return rows

    def _dhr_batch(self, production, record):
        """The batch record's own part: expected vs actual yield, where it went."""
        bom = production.bom_id
        consumed = {}
        for row in record["as_built"]:
            if row["level"] == 1:
                consumed[row["product"]] = consumed.get(row["product"], 0.0) + row["qty"]
        for row in record["untracked"]:
            if row["parent"] == self.name:
                consumed[row["product"]] = consumed.get(row["product"], 0.0) + row["qty"]
        expected = None
        if bom:
            out_per_bom = bom.product_uom_id._compute_quantity(
                bom.product_qty, self.product_id.uom_id, round=False)
            for line in bom.bom_line_ids:
                per_bom = line.product_uom_id._compute_quantity(
                    line.product_qty, line.product_id.uom_id, round=False)
                used = consumed.get(line.product_id.display_name)
                if per_bom and used is not None:
                    possible = used / per_bom * out_per_bom
                    expected = possible if expected is None else min(expected, possible)
        actual = record["production"].get("unit_qty", 0.0)
        self.env.cr.execute(dhr_sql.WHERE_WENT, {"lot_id": self.id})
        went = self.env.cr.dictfetchone()
        return {
            "planned": production.product_qty,
            "expected": expected,
            "actual": actual,
            "yield_pct": expected and round(100.0 * actual / expected, 2) or None,
            "uom": self.product_id.uom_id.name,
            "where": {key: went[key] for key in
                      ("produced", "received", "shipped", "in_stock", "consumed",
                       "scrapped")},
        }
