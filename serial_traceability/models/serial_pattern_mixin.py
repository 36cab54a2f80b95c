# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A serial-number pattern and its counter, for whatever owns one.

Products, product categories and companies each may own a pattern (the product's wins,
then its category's, then the company default). The counter of a pattern is an
``ir.sequence`` of the owner's, created the first time a number is drawn: the host's
numbering, so ``standard`` (a PostgreSQL sequence: never blocks, a rolled-back
transaction leaves a gap) or ``no_gap`` (a locked row: no gaps, concurrent generators
wait or retry) is the host's own ``implementation`` field. The sequence's prefix and
suffix are not used: the pattern (lib/serial_pattern.py) shapes the number.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import serial_pattern

GAP_POLICIES = [
    ("standard", "Fast (a cancelled generation leaves a gap)"),
    ("no_gap", "No gaps (generations wait for each other)"),
]
SEQUENCE_CODE = "serial_traceability.serial_pattern"
MAX_BATCH = 100000


class SerialPatternMixin(models.AbstractModel):
    _name = "serial.pattern.mixin"
    _inherit = ["serial.checked.mixin"]
    _description = "Owner of a serial-number pattern and its counter"

    serial_pattern = fields.Char(
        "Serial pattern",
        help="How new serial and lot numbers are formed. Placeholders: {prod} internal "
             "reference, {categ} category code, {wh} warehouse code, {yyyy} {yy} {mm} {dd} "
             "date, {seq} counter or {seq:5} zero-padded to 5 digits (exactly one), "
             "{check} check character (last). At most 20 characters, GS1 characters only.")
    serial_sequence_id = fields.Many2one(
        "ir.sequence", "Serial counter", copy=False, readonly=True, ondelete="restrict",
        help="Created with the first generated number; its 'Next Number' is the counter.")
    serial_gap_policy = fields.Selection(
        GAP_POLICIES, "Serial numbering",
        help="Fast numbering may skip numbers when a generation is cancelled; gapless "
             "numbering never does, but two users generating at once wait for each other."
             " Empty: as the company.")

    @api.constrains("serial_pattern")
    def _check_serial_pattern(self):
        for owner in self:
            owner._serial_validate_pattern(owner.serial_pattern)

    @api.model
    def _serial_validate_pattern(self, pattern):
        if pattern:
            try:
                serial_pattern.validate(pattern)
            except serial_pattern.PatternError as exc:
                raise ValidationError(
                    _("Serial pattern %(pattern)r cannot be used: %(reason)s")
                    % {"pattern": pattern, "reason": exc})

    @api.model
    def create(self, vals):
        # before the INSERT: a NUL or a broken character fails there, as a server error
        self._serial_validate_pattern(vals.get("serial_pattern"))
        return super(SerialPatternMixin, self).create(vals)

    # -- counter ------------------------------------------------------------------
    @api.multi
    def _serial_company(self):
        self.ensure_one()
        company = self._fields.get("company_id") and self.company_id
        if not company and self.env.context.get("serial_company_id"):
            company = self.env["res.company"].browse(self.env.context["serial_company_id"])
        return company or self.env.user.company_id

    @api.multi
    def _serial_effective_gap_policy(self):
        self.ensure_one()
        return self.serial_gap_policy or self._serial_company().serial_gap_policy or "standard"

    @api.multi
    def _serial_sequence(self):
        """The owner's counter, created on first use."""
        self.ensure_one()
        if not self.serial_sequence_id:
            # a stock user generates numbers but may not create sequences or edit products
            sequence = self.env["ir.sequence"].sudo().create({
                "name": _("Serial numbers: %s") % self.display_name,
                "code": SEQUENCE_CODE,
                "implementation": self._serial_effective_gap_policy(),
                "number_next": 1,
                "number_increment": 1,
                "padding": 0,
                "company_id": self._fields.get("company_id") and self.company_id.id or False,
            })
            self.sudo().write({"serial_sequence_id": sequence.id})
            return sequence
        return self.serial_sequence_id

    @api.multi
    def _serial_take_numbers(self, count):
        """Draw ``count`` counter values in one statement (they are consumed)."""
        self.ensure_one()
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_BATCH:
            raise UserError(_("Serial numbers are drawn 1 to %(max)d at a time, not %(count)r.")
                            % {"max": MAX_BATCH, "count": count})
        sequence = self._serial_sequence().sudo()
        if sequence.use_date_range:
            # per-period counters live in ir.sequence.date_range; the host knows them
            return [int(sequence._next()) for dummy in range(count)]
        step = sequence.number_increment
        cr = self.env.cr
        if sequence.implementation == "standard":
            cr.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                       ("ir_sequence_%03d" % sequence.id, count))
            return [row[0] for row in cr.fetchall()]
        # as the host's _update_nogap: lock the row without waiting (a concurrent
        # generator makes this a retryable error), then move the counter past the batch
        cr.execute("SELECT number_next FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT",
                   (sequence.id,))
        first = cr.fetchone()[0]
        cr.execute("UPDATE ir_sequence SET number_next = number_next + %s WHERE id = %s",
                   (step * count, sequence.id))
        sequence.invalidate_cache(["number_next", "number_next_actual"], sequence.ids)
        return [first + step * i for i in range(count)]

    @api.multi
    def _serial_peek_numbers(self, count=3):
        """The next ``count`` counter values, without consuming any."""
        self.ensure_one()
        sequence = self.sudo().serial_sequence_id
        if not sequence:
            return list(range(1, count + 1))
        first = sequence.number_next_actual
        if sequence.use_date_range:
            today = fields.Date.context_today(self)
            current = sequence.date_range_ids.filtered(
                lambda r: r.date_from <= today <= r.date_to)
            first = current[:1].number_next_actual or 1
        return [first + sequence.number_increment * i for i in range(count)]

    # -- gap policy ---------------------------------------------------------------
    @api.multi
    def _serial_apply_gap_policy(self):
        for owner in self:
            sequence = owner.sudo().serial_sequence_id
            policy = owner._serial_effective_gap_policy()
            if sequence and sequence.implementation != policy:
                # the host's write drops/creates the PG sequence but keeps the row's
                # stale number_next: carry the real counter over, or numbers repeat
                sequence.write({"implementation": policy,
                                "number_next": sequence.number_next_actual})

    @api.multi
    def write(self, vals):
        self._serial_validate_pattern(vals.get("serial_pattern"))
        res = super(SerialPatternMixin, self).write(vals)
        if "serial_gap_policy" in vals:
            self._serial_apply_gap_policy()
        return res
