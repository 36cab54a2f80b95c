# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib

from odoo import api, models


class SerialAuditedMixin(models.AbstractModel):
    """Log create/write/unlink of ``_audit_fields`` to the audit trail.

    Use: ``_inherit = ["serial.audited.mixin", ...]`` and ``_audit_fields = [...]``.
    One entry per record and action, holding every audited field that changed. A
    model narrows what is audited with ``_audit_targets`` (e.g. done move lines
    only) and names its records in the trail with ``_audit_res_names``. The reason
    comes from the context key ``audit_reason`` when the caller gives one.
    """

    _name = "serial.audited.mixin"
    _description = "Audited record (tamper-evident audit trail)"

    _audit_fields = []

    @api.model
    def _audit_field_names(self, candidates=None):
        names = [f for f in self._audit_fields if f in self._fields]
        if candidates is not None:
            names = [f for f in names if f in candidates]
        return names

    @api.multi
    def _audit_targets(self):
        """The records of ``self`` whose changes are audited right now."""
        return self

    @api.multi
    def _audit_res_names(self):
        """{id: name shown in the trail}."""
        return dict(self.sudo().name_get())

    @api.multi
    def _audit_company_ids(self):
        """{id: company id of the entry} (the user's company when the model has none)."""
        default = self.env.user.company_id.id
        if "company_id" not in self._fields:
            return {rec.id: default for rec in self}
        return {rec.id: rec.sudo().company_id.id or default for rec in self}

    @api.model
    def _audit_value(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type == "many2one":
            return [value.id, value.sudo().display_name] if value else None
        if field.type in ("one2many", "many2many"):
            return sorted(value.ids)
        if field.type == "boolean":
            return bool(value)
        if field.type == "binary":
            # the trail proves which content it was without copying files into it
            return ("sha256:" + hashlib.sha256(value if isinstance(value, bytes)
                                               else value.encode()).hexdigest()
                    if value else None)
        return None if value is False else value

    @api.multi
    def _audit_snapshot(self, names):
        records = self.sudo()
        return {rec.id: {n: self._audit_value(rec, n) for n in names} for rec in records}

    @api.multi
    def _audit_write_entries(self, action, before, after, names):
        """Log one entry per record whose audited values differ."""
        Entry = self.env["serial.audit.entry"]
        reason = self.env.context.get("audit_reason")
        res_names = self._audit_res_names()
        companies = self._audit_company_ids()
        rows = []
        for rec in self:
            old, new = before.get(rec.id, {}), after.get(rec.id, {})
            changes = {n: (old.get(n), new.get(n)) for n in names
                       if old.get(n) != new.get(n)}
            if changes or action != "write":
                rows.append(Entry._audit_row(rec, action, changes, reason,
                                             res_name=res_names.get(rec.id),
                                             company_id=companies.get(rec.id)))
        return Entry._log_rows(rows)

    @api.model
    def create(self, vals):
        record = super(SerialAuditedMixin, self).create(vals)
        names = self._audit_field_names()
        targets = record._audit_targets() if names else record.browse()
        if targets and not self._audit_create_deferred(targets):
            targets._audit_write_entries("create", {}, targets._audit_snapshot(names), names)
        return record

    @api.model
    def _audit_create_deferred(self, targets):
        """True when a caller logs the creation of ``targets`` later, with others."""
        return False

    @api.multi
    def write(self, vals):
        names = self._audit_field_names(vals)
        targets = self._audit_targets() if names else self.browse()
        if not targets:
            return super(SerialAuditedMixin, self).write(vals)
        before = targets._audit_snapshot(names)
        result = super(SerialAuditedMixin, self).write(vals)
        targets._audit_write_entries("write", before, targets._audit_snapshot(names), names)
        return result

    @api.multi
    def unlink(self):
        names = self._audit_field_names()
        targets = self._audit_targets() if names else self.browse()
        if targets:
            # logged first: afterwards there is nothing left to name
            targets._audit_write_entries("unlink", targets._audit_snapshot(names), {}, names)
        return super(SerialAuditedMixin, self).unlink()
