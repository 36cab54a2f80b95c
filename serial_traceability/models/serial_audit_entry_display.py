# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The audit trail in words: what kind of record, what happened, and per field its
label with the old and the new value as a person reads them ("Status: Draft → Done").
Computed from the stored entry on display, never stored: the hashed columns (and the
raw JSON an inspector may want) stay as they were written."""
import json

from odoo import _, api, fields, models

ACTIONS = {
    "create": "Created",
    "write": "Changed",
    "unlink": "Deleted",
    "done": "Stock move done",
    "sign": "Signed",
    "state": "Status changed",
    "hold": "Put on quality hold",
    "release": "Quality hold released",
}
# Entries whose fields belong to another model than the record they are about.
FIELDS_OF = {"sign": "serial.signature"}
HASH_SHOWN = 16  # characters of a hash shown in words; the technical tab has all


class SerialAuditEntry(models.Model):
    _inherit = "serial.audit.entry"

    action_label = fields.Char("Action", compute="_compute_in_words")
    model_label = fields.Char("Record type", compute="_compute_in_words")
    changes_text = fields.Text("Changes", compute="_compute_in_words")

    @api.multi
    def name_get(self):
        # the breadcrumb of an entry: "#188 Signed: QE/2026/0007"
        return [(entry.id, "#%d %s: %s" % (entry.sequence, entry.action_label,
                                           entry.res_name or entry.model_label))
                for entry in self]

    @api.multi
    def _compute_in_words(self):
        names = dict(self.env["ir.model"].sudo().search(
            [("model", "in", list(set(self.mapped("res_model"))))]).mapped(
                lambda m: (m.model, m.name)))
        for entry in self:
            entry.action_label = _(ACTIONS[entry.action]) if entry.action in ACTIONS \
                else entry.action
            entry.model_label = names.get(entry.res_model, entry.res_model)
            entry.changes_text = entry._changes_in_words()

    @api.multi
    def _changes_in_words(self):
        self.ensure_one()
        old, new = self._json(self.old_value), self._json(self.new_value)
        model = self.env.get(FIELDS_OF.get(self.action, self.res_model))
        # nothing before (a creation, a signature, a line done): the values only
        fresh = self.action == "create" or all(v is None for v in old.values())
        lines = []
        for name in (self.field or "").split(","):
            if not name:
                continue
            field = model._fields.get(name) if model is not None else None
            label = field.get_description(self.env)["string"] if field else \
                name.replace("_", " ").capitalize()
            before, after = (self._value_in_words(field, name, values.get(name))
                             for values in (old, new))
            if fresh or self.action == "unlink":
                # what the record had when it was made, signed or deleted
                lines.append("%s: %s" % (label, before if self.action == "unlink" else after))
            else:
                lines.append("%s: %s \u2192 %s" % (label, before, after))
        return "\n".join(lines)

    @api.model
    def _json(self, text):
        try:
            value = json.loads(text or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @api.model
    def _records_in_words(self, field, value):
        """Names of logged records: ``[id, name]`` pairs as written at the time, or
        bare ids (of a many2many) named now, ``#id`` once deleted."""
        if value and not isinstance(value[0], list) and not (
                len(value) == 2 and isinstance(value[1], str)):
            ids = [v for v in value if isinstance(v, int)]
            records = self.env[field.comodel_name].sudo().browse(ids).exists() \
                if field is not None and field.relational else None
            names = dict(records.name_get()) if records else {}
            value = [[i, names.get(i, "#%d" % i)] for i in ids]
        elif value and not isinstance(value[0], list):
            value = [value]
        return ", ".join(str(pair[1]) for pair in value if len(pair) > 1) or "\u2014"

    @api.model
    def _value_in_words(self, field, name, value):
        if value is None or value is False and (not field or field.type != "boolean"):
            return "\u2014"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return self._records_in_words(field, value)
        if field is not None and field.type == "selection":
            return dict(field.get_description(self.env)["selection"]).get(value, value)
        if isinstance(value, float):
            return "%g" % value
        text = str(value)
        if name.endswith("hash") and len(text) > HASH_SHOWN:
            return text[:HASH_SHOWN] + "\u2026"
        if field is not None and field.type == "datetime":
            return text + " UTC"
        return text
