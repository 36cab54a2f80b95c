# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A serial pattern holding a NUL or a broken character, sent over RPC: a sentence,
not a server error from the database, and nothing written."""
from odoo.exceptions import ValidationError

from .common import TraceabilityCase

BROKEN = {"NUL": "A\x00{seq}", "lone surrogate": "A\ud800{seq}", "bell": "{seq}\x07"}


class TestSerialPatternInput(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestSerialPatternInput, cls).setUpClass()
        cls.manager = cls._user("t_pattern_manager", ["stock.group_stock_manager"])
        cls.categ = cls.env["product.category"].create({"name": "T Pattern categ"})
        cls.pump.serial_pattern = "PU{seq:4}"

    def test_write_and_create_refuse_with_a_sentence(self):
        company = self.env.user.company_id
        owners = [self.pump.product_tmpl_id.sudo(self.manager), self.categ.sudo(self.manager),
                  company]
        before = [owner.serial_pattern for owner in owners]
        for case, pattern in BROKEN.items():
            for owner in owners:
                with self.assertRaisesRegex(ValidationError, "cannot be used: .*position",
                                            msg="%s %s" % (case, owner._name)):
                    owner.write({"serial_pattern": pattern})
            with self.assertRaisesRegex(ValidationError, "cannot be used", msg=case):
                self.env["product.template"].sudo(self.manager).create(
                    {"name": "T new", "tracking": "serial", "serial_pattern": pattern})
            with self.assertRaisesRegex(ValidationError, "cannot be used", msg=case):
                self.env["product.category"].sudo(self.manager).create(
                    {"name": "T new categ", "serial_pattern": pattern})
        for owner in owners:
            owner.invalidate_cache()
        self.assertEqual([owner.serial_pattern for owner in owners], before)
        self.assertFalse(self.env["product.template"].search([("name", "=", "T new")]))

    def test_preview_of_a_broken_pattern_says_why(self):
        """The product form's preview (an onchange) explains instead of failing."""
        template = self.env["product.template"].sudo(self.manager).new(
            {"name": "T new", "tracking": "serial", "serial_pattern": BROKEN["NUL"]})
        self.assertIn("control character", template.serial_pattern_preview)
