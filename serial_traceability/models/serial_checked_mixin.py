# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError


def check_selection_vals(model, vals):
    """Refuse, with a sentence, a value that is not one of a selection field's
    choices: the host raises ``ValueError`` deep in the ORM, which an RPC client
    sees as a server error, and some paths store the unknown value silently."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if field is None or field.type != "selection" or value is False or value is None:
            continue
        choices = field.get_description(model.env)["selection"]
        if value not in [key for key, _label in choices]:
            raise UserError(_("%(field)s: %(value)r is not one of its choices (%(choices)s).")
                            % {"field": field.get_description(model.env)["string"],
                               "value": value,
                               "choices": ", ".join(label for _key, label in choices)})


class SerialCheckedMixin(models.AbstractModel):
    """``create``/``write`` check the values of selection fields first."""

    _name = "serial.checked.mixin"
    _description = "Selection values checked with a readable error"

    @api.model
    def create(self, vals):
        check_selection_vals(self, vals)
        return super(SerialCheckedMixin, self).create(vals)

    @api.multi
    def write(self, vals):
        check_selection_vals(self, vals)
        return super(SerialCheckedMixin, self).write(vals)
