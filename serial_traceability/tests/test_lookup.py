# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lookup by scan: every input form, bad input (and a fuzz of it), the scan screen,
access."""
from hypothesis import HealthCheck, given, settings, strategies as st

from odoo.exceptions import AccessError, UserError

from .common import TraceabilityCase

GS = "\x1d"
PUMP_EAN13 = "4006381333931"  # stored as EAN-13, scanned as GTIN-14
PUMP_GTIN = "0" + PUMP_EAN13
OTHER_UPC = "614141000036"
BAT_GTIN8 = "96385074"

# What a scanner, a keyboard wedge or a hostile RPC client may send: any text (lone
# surrogates, NUL and other controls included), real codes with characters inserted,
# and very long input (1 MB).
ANY_CHAR = st.characters(blacklist_categories=())
ODD_CHARS = st.sampled_from(["\ud800", "\udfff", "\x00", GS, "\r", "\t", "(", "]", "0",
                             "\u0663", "\ufeff", "\U0001f600"])
KNOWN_CODES = st.sampled_from([
    "U1", "U2", PUMP_EAN13 + " U1", PUMP_GTIN + "U1", "]C101" + PUMP_GTIN + "21U1",
    "]d2" + GS + "01" + PUMP_GTIN + GS + "21U1", "(01)%s(21)U1" % PUMP_GTIN,
    "(01)000000%s(10)B1" % BAT_GTIN8, "]Q3" + "01" + PUMP_GTIN + "17281231" + "10B1"])


@st.composite
def mutated(draw):
    code = draw(KNOWN_CODES)
    for _i in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(code)))
        code = code[:at] + draw(st.one_of(ODD_CHARS, ANY_CHAR)) + code[at:]
    return code


SCANS = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    mutated(),
    st.builds(lambda size, fill, tail: fill * size + tail,
              st.sampled_from([257, 4097, 2 ** 20]), st.sampled_from(["U", "0", " ", GS, "("]),
              st.text(ANY_CHAR, max_size=3)),
)


class TestLookup(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLookup, cls).setUpClass()
        cls.portal_user = cls._user("t_portal_user", ["base.group_portal"])
        cls.pump.barcode = PUMP_EAN13
        cls.bat.barcode = BAT_GTIN8
        cls.other = cls._product("T Syringe driver", "serial")
        cls.other.barcode = OTHER_UPC
        # Pumps U1, U2 built; another product's unit also called U2, received.
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        cls.build_pumps(cls, [("U1", "P1", "B1"), ("U2", "P2", "B1")])
        cls.flow._receive(cls.supplier, [(cls.other, 1, "U2")])
        lots = cls.env["stock.production.lot"]
        cls.u1 = lots.search([("product_id", "=", cls.pump.id), ("name", "=", "U1")])
        cls.u2 = lots.search([("product_id", "=", cls.pump.id), ("name", "=", "U2")])
        cls.other_u2 = lots.search([("product_id", "=", cls.other.id), ("name", "=", "U2")])
        cls.b1 = lots.search([("product_id", "=", cls.bat.id), ("name", "=", "B1")])

    def find(self, code, user=None):
        lots = self.env["stock.production.lot"]
        return (lots.sudo(user) if user else lots).find_by_scan(code)

    def assertFinds(self, code, lots, gs1=None):
        found = self.find(code)
        self.assertEqual(found["lot_ids"], sorted(lots.ids), repr(code))
        self.assertEqual(found["product_ids"], sorted(lots.mapped("product_id").ids))
        if gs1 is not None:
            self.assertEqual(found["gs1"], gs1)
        return found

    # -- input forms ----------------------------------------------------------------
    def test_plain_serial(self):
        self.assertFinds("U1", self.u1, gs1={})
        self.assertFinds("  U1\r\n", self.u1)  # keyboard wedges add blanks and CR/LF

    def test_product_barcode_then_serial(self):
        for code in (PUMP_EAN13 + " U1", PUMP_EAN13 + "U1", PUMP_GTIN + "U1",
                     PUMP_GTIN + "\tU1"):
            self.assertFinds(code, self.u1, gs1={})
        self.assertFinds(OTHER_UPC + "U2", self.other_u2)

    def test_gs1_element_strings(self):
        expected = {"01": PUMP_GTIN, "21": "U1"}
        for prefix in ("", "]C1", "]d2", "]Q3"):
            self.assertFinds(prefix + "01" + PUMP_GTIN + "21U1", self.u1, gs1=expected)
        # A GS after the fixed-length GTIN and a leading one, as real scanners send.
        self.assertFinds("]d2" + GS + "01" + PUMP_GTIN + GS + "21U1", self.u1, gs1=expected)
        # Dates, day 00 included, and a lot field before the serial.
        code = "]d2" + "01" + PUMP_GTIN + "11260100" + "10LOT-7" + GS + "17281231" + "21U1"
        self.assertFinds(code, self.u1, gs1={"01": PUMP_GTIN, "11": "260100", "10": "LOT-7",
                                             "17": "281231", "21": "U1"})

    def test_gs1_human_readable(self):
        self.assertFinds("(01)%s(21)U1" % PUMP_GTIN, self.u1)
        self.assertFinds("(01) %s (17) 281200 (21) U1" % PUMP_GTIN, self.u1)

    def test_gs1_lot(self):
        self.assertFinds("(01)000000%s(10)B1" % BAT_GTIN8, self.b1, gs1={
            "01": "000000" + BAT_GTIN8, "10": "B1"})

    def test_same_serial_on_two_products_asks_which(self):
        both = self.u2 | self.other_u2
        self.assertFinds("U2", both)
        self.assertFinds("(01)%s(21)U2" % PUMP_GTIN, self.u2)
        self.assertFinds("(01)00%s(21)U2" % OTHER_UPC, self.other_u2)

    def test_unknown_unit_finds_nothing(self):
        self.assertEqual(self.find("NO-SUCH-UNIT"), {"lot_ids": [], "product_ids": [], "gs1": {}})
        found = self.find("(01)%s(21)NOPE" % PUMP_GTIN)
        self.assertEqual((found["lot_ids"], found["product_ids"]), ([], self.pump.ids))
        found = self.find("(01)00012345600012(21)U1")  # valid GTIN, no such product
        self.assertEqual((found["lot_ids"], found["product_ids"]), ([], []))
        # U1 of the pump, but the GTIN says syringe driver: not the pump's U1.
        self.assertEqual(self.find("(01)00%s(21)U1" % OTHER_UPC)["lot_ids"], [])

    # -- bad input --------------------------------------------------------------------
    def test_bad_input_is_refused_and_writes_nothing(self):
        counts = self._counts()
        bad = {
            "garbage": "]C1zz-not-gs1",
            "foreign symbology": "]E0" + PUMP_EAN13,
            "wrong check digit": "]C101" + PUMP_GTIN[:-1] + "2" + "21U1",
            "truncated AI": "]C1010400638133",
            "missing GS": "]C110" + "A" * 18 + "21U1",
            "control character": "U1\x07",
            "empty": "  \r\n",
            "too long": "U" * 300,
            "over 4 KB": "(01)" + "0" * 4100,
            "1 MB": "U1" * 2 ** 19,
            "NUL": "U1\x00",
            "lone surrogate": "U1\ud800",
            "lone low surrogate": "\udfffU1",
        }
        for case, code in bad.items():
            with self.assertRaises(UserError, msg=case) as caught:
                self.find(code)
            self.assertTrue(caught.exception.name, case)
        for value in (None, 42, ["U1"]):
            with self.assertRaises(UserError):
                self.find(value)
        self.assertIn("check digit", self._error("]C101" + PUMP_GTIN[:-1] + "2" + "21U1"))
        self.assertIn("separators", self._error("]C110" + "A" * 18 + "21U1"))
        self.assertEqual(self._counts(), counts)

    @settings(max_examples=1000, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(SCANS)
    def test_fuzz_any_input_is_a_result_or_a_user_error(self, code):
        """Every answer is a result or a ``UserError`` with a sentence, never another
        exception (a broken character once reached the database: UnicodeEncodeError)."""
        try:
            found = self.find(code)
        except UserError as exc:
            self.assertTrue(exc.name)
            return
        self.assertEqual(set(found), {"lot_ids", "product_ids", "gs1"})
        self.assertTrue(all(isinstance(i, int) for i in found["lot_ids"] + found["product_ids"]))

    def test_wrong_check_digit_is_refused_alike_in_every_form(self):
        """A GTIN with a wrong check digit (a misprint or a mistyped digit) is refused
        with the same sentence whether the code is bare, bracketed or carries its
        symbology identifier; the bare form used to answer "not found"."""
        bad = PUMP_GTIN[:-1] + str((int(PUMP_GTIN[-1]) + 1) % 10)
        counts = self._counts()
        forms = {"bare": "01" + bad + "21U1", "bracketed": "(01)%s(21)U1" % bad,
                 "]C1": "]C101" + bad + "21U1"}
        messages = {form: self._error(code) for form, code in forms.items()}
        expected = ("This code cannot be read: GTIN %s has a wrong check digit (expected %s)."
                    % (bad, PUMP_GTIN[-1]))
        self.assertEqual(messages, dict.fromkeys(forms, expected))
        # the scan screen shows the same refusal
        screen = self.env["serial.lookup"].new({})
        screen.code = forms["bare"]
        result = screen._onchange_code()
        self.assertEqual((screen.state, screen.message), ("error", expected))
        self.assertEqual(result["warning"]["message"], expected)
        self.assertEqual(self._counts(), counts)
        # a unit really named like that is still found by its name
        odd = self.flow._receive(self.supplier, [(self.other, 1, forms["bare"])])
        self.assertTrue(odd)
        self.assertEqual(self.find(forms["bare"])["lot_ids"],
                         self.lot(self.other, forms["bare"]).ids)

    def _error(self, code):
        with self.assertRaises(UserError) as caught:
            self.find(code)
        return caught.exception.name

    def _counts(self):
        return [self.env[model].search_count([]) for model in
                ("stock.production.lot", "product.product", "serial.lookup")]

    # -- the scan screen ----------------------------------------------------------------
    def scan(self, code, user=None):
        """What the web client does when a scanner sends ``code``: the barcode field's
        onchange, with every field of the form."""
        lookup = self.env["serial.lookup"].sudo(user) if user else self.env["serial.lookup"]
        spec = lookup._onchange_spec()
        values = lookup.default_get(list(lookup._fields))
        values.update({name: False for name in lookup._fields if name not in values})
        values["_barcode_scanned"] = code
        return lookup.onchange(values, "_barcode_scanned", spec)

    def test_scan_screen_shows_the_history(self):
        self.flow._deliver(self.customer_a, [(self.pump, 1, self.u1)])
        counts = self._counts()
        result = self.scan("]C101" + PUMP_GTIN + "21U1")
        value = result["value"]
        self.assertEqual((value["state"], value["lot_id"][0]), ("found", self.u1.id))
        self.assertEqual(value["code"], "]C101" + PUMP_GTIN + "21U1")
        history = self.env["serial.unit.history"].browse(
            [cmd[1] for cmd in value["history_ids"] if cmd[0] in (1, 4)])
        # the unit's own events, and what went into it (consumed into it, at every level)
        self.assertEqual(sorted(set(history.mapped("event_type"))),
                         ["consumed", "produced", "shipped"])
        self.assertEqual(sorted(set(history.mapped("lot_id.name"))),
                         ["B1", "C1", "M1", "P1", "U1"])
        self.assertNotIn("warning", result)
        self.assertEqual(self._counts(), counts)

    def test_scan_screen_ambiguous_unknown_and_bad(self):
        value = self.scan("U2")["value"]
        self.assertEqual(value["state"], "ambiguous")
        self.assertFalse(value.get("lot_id"))
        self.assertIn("2 products", value["message"])
        value = self.scan("NO-SUCH-UNIT")["value"]
        self.assertEqual(value["state"], "not_found")
        self.assertIn("NO-SUCH-UNIT", value["message"])
        value = self.scan("(01)%s" % PUMP_GTIN)["value"]
        self.assertIn("no serial", value["message"])
        counts = self._counts()
        result = self.scan("]C101" + PUMP_GTIN[:-1] + "2" + "21U1")
        self.assertEqual(result["value"]["state"], "error")
        self.assertIn("check digit", result["warning"]["message"])
        self.assertEqual(self._counts(), counts)

    def test_scan_screen_buttons(self):
        lookup = self.env["serial.lookup"].create({"code": "U1", "lot_id": self.u1.id,
                                                   "state": "found"})
        action = lookup.action_open_history()
        self.assertEqual(action["res_model"], "serial.unit.history")
        self.assertEqual(lookup.action_trace_backward()["res_model"], "serial.trace.line")
        self.assertEqual(lookup.action_open_unit()["res_id"], self.u1.id)
        with self.assertRaises(UserError):
            self.env["serial.lookup"].create({"code": "NOPE"}).action_open_history()
        choice = self.u2.action_open_unit_history_with_components()
        rows = self.env["serial.unit.history"].search(choice["domain"])
        self.assertIn(self.u2, rows.mapped("lot_id"))
        self.assertNotIn(self.other_u2, rows.mapped("lot_id"))

    # -- access ---------------------------------------------------------------------------
    def test_stock_user_can_look_up_portal_user_cannot(self):
        found = self.find("(01)%s(21)U1" % PUMP_GTIN, user=self.stock_user)
        self.assertEqual(found["lot_ids"], self.u1.ids)
        value = self.scan("U1", user=self.stock_user)["value"]
        self.assertEqual(value["lot_id"][0], self.u1.id)
        with self.assertRaises(AccessError):
            self.find("U1", user=self.portal_user)
        with self.assertRaises(AccessError):
            self.scan("U1", user=self.portal_user)
