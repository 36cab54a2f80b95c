# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The unit's record as data: the device history record of 21 CFR 820.184 for a
serial, the batch record for a lot, the receiving record for a purchased unit.

``get_device_history_record()`` returns what the printed record shows (the report
renders this dict and nothing else), so the PDF and the data cannot disagree. It
reads only: printing writes nothing.

Each part is one statement of ``sql/device_history*.py`` fetching the names it prints
as the ORM gives them; the ORM reads only the batch part (docs/performance.md).
The as-built record comes from the per-serial genealogy links
(``serial_genealogy_walk_backward``): a unit of a multi-unit MO lists its own
components, never a sibling's.
"""
import datetime

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..lib import gs1
from ..sql import device_history as dhr_sql
from ..sql import device_history_record as dhr_rec
from .serial_quality_event import COVERAGE_KINDS

TRACE_GROUP = "serial_traceability.group_traceability_user"
AFTER_RELEASE_TYPES = ("shipped", "returned", "supplier_return", "scrapped", "service")


def _dts(value):
    """A datetime or date read by SQL (Odoo's cursor gives strings) as the ORM gives
    it, or ''."""
    return value and value[:19] or ""


def _date_of(value):
    if not value:
        return None
    if len(value) > 10:
        return fields.Datetime.from_string(value[:19]).date()
    return fields.Date.from_string(value)


def _product_name(row):
    """A row's product as the host's product.product.name_get prints it, from the
    columns of ``sql/device_history.product_name_columns``."""
    name, variant = row["product_name"], row["product_variant"]
    name = variant and "%s (%s)" % (name, variant) or name
    return row["product_code"] and "[%s] %s" % (row["product_code"], name) or name


def _float(text):
    """A Float column read as text by SQL as the ORM gives it (None: 0.0)."""
    return float(text) if text is not None else 0.0


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
        cr = self.env.cr
        cr.execute(dhr_rec.HEAD, {"lot_id": self.id, "uid": self.env.uid,
                                  "lang": self.env.lang})
        head = cr.dictfetchone()
        if head["production_id"]:
            kind = "batch" if head["tracking"] == "lot" else "dhr"
        else:
            kind = "receiving"
        built = self._dhr_as_built(head["production_id"])
        record = {
            "kind": kind,
            "lot_id": self.id,
            "lot_name": head["lot_name"],
            "product_id": head["product_id"],
            "product_name": self._dhr_product_namer()(head),
            "tracking": head["tracking"],
            "company_name": head["company_name"],
            "company_address": self._dhr_company_address(head),
            "printed_on": fields.Datetime.now(),
            "production": self._dhr_production(head),
            "receiving": self._dhr_receiving(head),
            "release": dict(self._serial_release_record() or {}),
            "labels": self._dhr_labels(),
            "udi": self._dhr_udi(head),
        }
        record.update(built)
        lot_names = {row["lot_id"]: row["lot_name"] for row in record["as_built"]}
        lot_names[self.id] = head["lot_name"]
        record["acceptance"] = self._dhr_acceptance(record["component_lot_ids"], lot_names)
        record["work_orders"] = self._dhr_work_orders(head["production_id"])
        record["after_release"] = self._dhr_after_release()
        if kind == "batch":
            record["batch"] = self._dhr_batch(self.production_id, record)
        return record

    def _dhr_rule_companies(self):
        """The companies the addon's record rules let the user read (None: all);
        ``user.company_ids`` as the rules read it (the user seen as superuser)."""
        if self.env.uid == SUPERUSER_ID:
            return None
        return self.env.user.company_ids.ids

    def _dhr_company_address(self, head):
        if head["company_partner_type"] != "contact":  # the host looks further
            company = self.env.user.company_id
            return ", ".join(filter(None, [
                company.street, company.zip, company.city, company.country_id.name]))
        return ", ".join(filter(None, [
            head["company_street"], head["company_zip"], head["company_city"],
            head["company_country"]]))

    def _dhr_product_namer(self):
        """``row -> product name`` as the host's name_get prints it: from the row's
        name columns, or from name_get itself when the context changes what it
        prints (a partner's own product names and codes, no internal reference)."""
        context = self.env.context
        if not context.get("partner_id") and context.get("display_default_code", True):
            return _product_name
        products = self.env["product.product"]
        return lambda row: dict(products.browse(row["product_id"]).name_get()).get(
            row["product_id"], False)

    def _dhr_production(self, head):
        """Clauses (a) and (b): dates and quantity of the MO, the unit's place in it."""
        if not head["production_id"]:
            return {}
        self.env.cr.execute(dhr_sql.PRODUCED_UNITS, {"production_id": head["production_id"]})
        units = self.env.cr.dictfetchall()
        position = [i for i, row in enumerate(units, 1) if row["lot_id"] == self.id]
        own = [row for row in units if row["lot_id"] == self.id]
        bom = ""
        if head["bom_id"]:
            template = "%s%s" % (head["bom_tmpl_code"] and "[%s] " % head["bom_tmpl_code"]
                                 or "", head["bom_tmpl_name"])
            bom = "%s%s" % (head["bom_code"] and "%s: " % head["bom_code"] or "", template)
        return {
            "production_id": head["production_id"],
            "name": head["mo_name"],
            "state": head["mo_state"],
            "date_planned_start": _dts(head["date_planned_start"]),
            "date_start": _dts(head["date_start"]),
            "date_finished": _dts(head["date_finished"]),
            "production_date": _dts(head["production_date"]) or (
                own and own[0]["date"] or ""),
            "product_qty": head["mo_product_qty"] or 0.0,
            "qty_produced": sum(row["qty"] for row in units),
            "units_produced": len(units),
            "unit_qty": own and own[0]["qty"] or 0.0,
            "position": position and position[0] or 0,
            "uom": head["mo_uom_name"],
            "bom": bom,
            "responsible": head["responsible"] or "",
        }

    def _dhr_receiving(self, head):
        """The receipts of the unit from a supplier (all a purchased unit has)."""
        self.env.cr.execute(dhr_rec.RECEIVING, {"lot_id": self.id, "lang": self.env.lang})
        return [{
            "date": _dts(row["date"]),
            "reference": row["reference"] or "",
            "partner": row["partner"] or "",
            # the host's product.uom._compute_quantity(round=False)
            "qty": (row["qty_done"] or 0.0) / row["line_factor"] * row["product_factor"]
            if row["product_uom_id"] else (row["qty_done"] or 0.0),
            "uom": row["uom_name"],
            "vendor_lot": head["vendor_lot"] or "",
        } for row in self.env.cr.dictfetchall()]

    def _dhr_acceptance(self, component_lot_ids, lot_names=None):
        """Clause (d): approved quality events of the unit and of every component in
        its build, and every non-conformance (open ones too)."""
        lot_ids = [self.id] + list(component_lot_ids)
        cr = self.env.cr
        cr.execute(dhr_rec.ACCEPTANCE, {"lot_ids": lot_ids, "coverage_kinds": list(
            COVERAGE_KINDS), "company_ids": self._dhr_rule_companies()})
        events = cr.dictfetchall()
        if not events:
            return []
        field = self.env["serial.quality.event"]._fields
        kinds, results = dict(field["kind"].selection), dict(field["result"].selection)
        wanted = set(lot_ids)
        names = dict(lot_names or {})
        if not wanted <= set(names):
            names = dict(self.browse(list(wanted)).mapped(lambda lot: (lot.id, lot.name)))
        rows = []
        for event in events:
            rows.append({
                "name": event["name"],
                "kind": event["kind"],
                "kind_label": kinds.get(event["kind"], event["kind"]),
                "result": results.get(event["result"], "") if event["result"] else "",
                "state": event["state"],
                "date": _dts(event["date"]),
                "units": ", ".join(sorted(
                    names[lot_id] for lot_id in set(event["lot_ids"]) if lot_id in wanted)),
                "own": self.id in event["lot_ids"],
                "description": event["description"] or "",
                "measurements": [{
                    "parameter": m[0], "value": _float(m[1]), "uom": m[2],
                    "limit_kind": m[3], "min_value": _float(m[4]), "max_value": _float(m[5]),
                    "passed": m[6] == "true",
                } for m in event["measurements"]],
                "attachments": [{"name": a[0] or False, "checksum": a[1]}
                                for a in event["attachments"]],
                "signatures": [{"signer": s[0], "meaning": s[1], "signed_at": s[2]}
                               for s in event["signatures"]],
            })
        return rows

    def _dhr_labels(self):
        """Clause (e): the label print log, when the module keeping it is there."""
        if "serial.label.log" not in self.env:
            return {"available": False, "rows": []}
        self.env.cr.execute(dhr_rec.LABELS, {"lot_id": self.id,
                                             "company_ids": self._dhr_rule_companies()})
        return {"available": True, "rows": [{
            "report_name": log["report_name"],
            "element_string": log["element_string"] or "",
            "element_display": (log["element_string"] or "").replace(gs1.GS, "<GS>"),
            "user": log["user_name"] or "", "printed_on": _dts(log["printed_on"]),
            "copy_number": log["copy_number"] or 0, "reprint": bool(log["reprint"]),
        } for log in self.env.cr.dictfetchall()]}

    def _dhr_udi(self, head):
        """Clause (f): the UDI, device identifier (GTIN) plus production identifiers."""
        gtin = head["barcode"]
        if not gtin or not gs1.is_valid_gtin(gtin):
            return {"device_identifier": "", "element_string": "", "hri": "",
                    "elements": [], "note": _("No device identifier: the product has no "
                                              "GTIN as its barcode.")}
        made = _date_of(head["production_date"]) or (
            head["production_id"] and _date_of(head["date_finished"]))
        from ..reports.serial_label import EXPIRY_FIELDS  # loaded after the models
        expiry = _date_of(head["expiry_date"])  # the addon's own, first of EXPIRY_FIELDS
        if not expiry and set(EXPIRY_FIELDS[1:]) & set(self._fields):
            expiry = self.env["serial.label"]._label_expiry(self)
        elements = [("01", gs1.normalize_gtin(gtin))]
        if made:
            elements.append(("11", made))
        if expiry:
            elements.append(("17", expiry))
        elements.append(("21" if head["tracking"] == "serial" else "10", head["lot_name"]))
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
        """Every component at every level (tree order), untracked components, with
        their names. ``production``: the unit's MO (a record or its id)."""
        production_id = getattr(production, "id", production)
        cr = self.env.cr
        cr.execute(dhr_sql.AS_BUILT, {"lot_id": self.id, "lang": self.env.lang,
                                      "uid": self.env.uid})
        links = cr.dictfetchall()
        built = [self.id] + [r["lot_id"] for r in links]
        production_ids = set(r["production_id"] for r in links if r["production_id"])
        if production_id:
            production_ids.add(production_id)
        untracked_rows = []
        if production_ids:
            cr.execute(dhr_sql.UNTRACKED, {"lot_ids": built, "lang": self.env.lang,
                                           "production_ids": list(production_ids)})
            untracked_rows = cr.dictfetchall()
        product_name = self._dhr_product_namer()
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
                    "product": product_name(row),
                    "qty": row["qty"] or 0.0, "uom": row["uom_name"] or "",
                    "supplier": row["supplier_name"] or "" if row["supplier_id"] else "",
                    "vendor_lot": row["vendor_lot"] or "",
                })
                visit(row["lot_id"], level + 1)
        visit(self.id, 1)
        untracked = [{
            "parent": row["parent_name"] or "",
            "product": product_name(row),
            "qty": row["qty"],
            "uom": row["uom_name"],
        } for row in untracked_rows]
        return {"as_built": tree, "untracked": untracked,
                "component_lot_ids": sorted(set(r["lot_id"] for r in links))}

    def _dhr_work_orders(self, production_id):
        if not production_id or "workorder_ids" not in self.env["mrp.production"]._fields:
            return []
        # a traceability user reads the MO but not the host's work order model: the
        # record shows them, read-only, to whoever may print it
        self.env.cr.execute(dhr_rec.WORK_ORDERS, {"production_id": production_id})
        return [{
            "name": wo["name"],
            "workcenter": wo["workcenter"] or "",
            "operators": ", ".join(sorted(set(wo["operators"]))),
            "date_start": _dts(wo["date_start"]),
            "date_finished": _dts(wo["date_finished"]),
            "state": wo["state"],
        } for wo in self.env.cr.dictfetchall()]

    def _dhr_after_release(self):
        """Shipments, returns, service and warranty events, recalls: what happened to
        the unit after it left manufacturing; not part of the released record."""
        cr = self.env.cr
        cr.execute(dhr_rec.AFTER_RELEASE, {"lot_id": self.id,
                                           "company_ids": self._dhr_rule_companies(),
                                           "event_types": list(AFTER_RELEASE_TYPES)})
        types = dict(self.env["serial.unit.history"]._fields["event_type"].selection)
        rows = [{
            "date": _dts(row["date"]),
            "event": _("Recall") if row["recall"] else types.get(row["event_type"],
                                                                 row["event_type"]),
            "reference": row["reference"] or "", "partner": row["partner"] or "",
            "description": row["description"] or "",
        } for row in cr.dictfetchall()]
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
