# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The frozen record (issue 17 item 5): at release each unit's record is rendered
once (wkhtmltopdf, for real), stored on the lot and its SHA-256 logged; printing
gives the stored bytes, verification notices any change of them."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from unittest import mock

from . import pdf_common
from .quality_common import PASSWORDS, QualityCase


class TestFrozenRecord(QualityCase):

    @classmethod
    def setUpClass(cls):
        super(TestFrozenRecord, cls).setUpClass()
        cls.workdir = tempfile.mkdtemp(prefix="st_frozen_")
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        cls.pump.product_tmpl_id.serial_requires_release = True

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super(TestFrozenRecord, cls).tearDownClass()

    # -- helpers -----------------------------------------------------------------
    def release(self, target, user=None):
        user = user or self.qm
        action = target.sudo(user).action_serial_release()
        context = action["context"]
        wizard = self.env["serial.sign.wizard"].sudo(user).create({
            "res_model": context["default_res_model"], "res_id": context["default_res_id"],
            "meaning": "release", "password": PASSWORDS[user.login]})
        with pdf_common.real_pdf(self.workdir):
            wizard.action_sign()
        target.invalidate_cache()
        return self.env["serial.release"].browse(context["default_res_id"])

    def released_pumps(self, count=2):
        pumps = self.make_pumps(count)
        event = self.new_event(pumps, kind="certificate", measurements=(),
                               description="Final inspection certificate")
        event.sudo(self.trace_user).write({"attachment_ids": [(0, 0, {
            "name": "coc-original.pdf", "datas_fname": "coc-original.pdf",
            "datas": base64.b64encode(b"certificate of conformity")})]})
        self.approve(event)
        self.approve(self.new_event(pumps))
        release = self.release(pumps[0].production_id)
        return pumps, event, release

    def print_pdf(self, lots, xmlid="serial_device_history_report", user=None, **context):
        report = self.env.ref("serial_traceability." + xmlid).sudo(user or self.trace_user)
        with pdf_common.real_pdf(self.workdir):
            content, kind = report.with_context(**context).render_qweb_pdf(lots.ids)
        self.assertEqual(kind, "pdf")
        return content

    def text(self, content):
        path = os.path.join(self.workdir, "record.pdf")
        with open(path, "wb") as out:
            out.write(content)
        text = subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()
        return re.sub(r"[ \t]+", " ", text)

    def entry(self, lot):
        return self.env["serial.audit.entry"].search(
            [("res_model", "=", lot._name), ("res_id", "=", lot.id),
             ("action", "=", "frozen_record")])

    def stored(self, lot):
        values = json.loads(self.entry(lot).new_value)
        return self.env["ir.attachment"].browse(values["frozen_record_attachment"])

    def verify(self):
        return self.env["serial.audit.verify"].sudo(self.qm).create({})

    # -- tests -------------------------------------------------------------------
    def test_release_stores_the_record_and_logs_its_hash_as_the_releaser(self):
        (u1, u2), _event, release = self.released_pumps(2)
        day = release.release_date[:10]
        for unit in (u1, u2):
            entry = self.entry(unit)
            self.assertEqual(len(entry), 1)
            self.assertEqual(entry.user_id, self.qm)
            self.assertEqual(entry.reason, release.name)
            attachment = self.stored(unit)
            self.assertEqual(attachment.name, "DHR %s released %s.pdf" % (unit.name, day))
            self.assertEqual((attachment.res_model, attachment.res_id), (unit._name, unit.id))
            data = base64.b64decode(attachment.datas)
            self.assertEqual(json.loads(entry.new_value)["frozen_record_sha256"],
                             hashlib.sha256(data).hexdigest())
            text = self.text(data)
            self.assertIn("Device history record %s" % unit.name, text)
            self.assertIn("by t_quality_mgr", text)
            self.assertIn("%s - Page 1 of" % unit.name, text)
            self.assertIn("Released record: rendered once", text)
            self.assertNotIn("After release (not part", text)
            other = (u2 if unit == u1 else u1).name
            self.assertNotIn("Device history record %s" % other, text)
        self.assertEqual(self.verify().state, "intact")

    def test_later_changes_do_not_touch_the_stored_record(self):
        (u1, _u2), event, _release = self.released_pumps(2)
        stored = base64.b64decode(self.stored(u1).datas)
        self.assertEqual(self.print_pdf(u1), stored, "printing gives the stored bytes")
        live = self.text(self.print_pdf(u1, serial_dhr_live=True))
        self.assertIn("coc-original.pdf", live)
        # the certificate of the event and the MO's dates, changed underneath
        certificate = event.attachment_ids
        self.env.cr.execute("UPDATE ir_attachment SET name = 'coc-swapped.pdf', "
                            "checksum = 'feedc0de' WHERE id = %s", [certificate.id])
        mo = u1.production_id
        self.env.cr.execute("UPDATE mrp_production SET date_finished = '2031-07-04 10:00:00',"
                            " date_start = '2031-07-01 08:00:00' WHERE id = %s", [mo.id])
        self.env["ir.attachment"].invalidate_cache()  # the whole cache
        printed = self.print_pdf(u1)
        self.assertEqual(printed, stored)
        self.assertEqual(base64.b64decode(self.stored(u1).datas), stored)
        stored_text = self.text(printed)
        self.assertIn("coc-original.pdf", stored_text)
        self.assertNotIn("2031-07-04", stored_text)
        live = self.text(self.print_pdf(u1, serial_dhr_live=True))
        self.assertIn("coc-swapped.pdf", live)
        self.assertIn("2031-07-04 10:00:00", live)
        self.assertNotIn("coc-original.pdf", live)
        # the addendum is live and names the stored record
        addendum = self.text(self.print_pdf(u1, "serial_device_history_addendum_report"))
        self.assertIn("After-release addendum %s" % u1.name, addendum)
        self.assertIn(self.stored(u1).name, addendum)
        self.assertIn(json.loads(self.entry(u1).new_value)["frozen_record_sha256"],
                      addendum.replace("\n", "").replace(" ", ""))

    def test_printing_several_lots_merges_stored_and_live_records(self):
        (u1, u2), _event, _release = self.released_pumps(2)
        u3 = self.lot(self.pcb, "P1")  # not released: rendered live
        text = self.text(self.print_pdf(u1 | u3 | u2))
        self.assertEqual(text.count("Released record: rendered once"), 2)
        self.assertIn("Device history record P1", text)
        self.assertLess(text.index("record U1"), text.index("record P1"))
        self.assertLess(text.index("record P1"), text.index("record U2"))

    def test_mo_print_gives_the_stored_records_of_its_released_units(self):
        (u1, _u2), _event, _release = self.released_pumps(2)
        mo = u1.production_id
        text = self.text(self.print_pdf(mo, "serial_device_history_production_report"))
        self.assertEqual(text.count("Released record: rendered once"), 2)
        self.assertNotIn("After release (not part", text)
        self.assertLess(text.index("record U1"), text.index("record U2"))
        # an MO none of whose units were released still prints live
        pcb_mo = self.lot(self.pcb, "P1").production_id
        text = self.text(self.print_pdf(pcb_mo, "serial_device_history_production_report"))
        self.assertIn("After release (not part", text)
        self.assertNotIn("Released record", text)

    def test_verification_reports_a_stored_record_changed_underneath(self):
        (u1, u2), _event, _release = self.released_pumps(2)
        self.assertEqual(self.verify().state, "intact")
        # U1: the file in the filestore rewritten
        a1 = self.stored(u1)
        self.assertTrue(a1.store_fname, "tests store attachments in the filestore")
        with open(a1._full_path(a1.store_fname), "r+b") as handle:
            handle.seek(200)
            handle.write(b"X")
        # U2: the row pointed at other bytes kept in the database
        a2 = self.stored(u2)
        self.env.cr.execute(
            "UPDATE ir_attachment SET store_fname = NULL, db_datas = %s WHERE id = %s",
            [base64.b64encode(b"%PDF-1.4 forged"), a2.id])
        run = self.verify()
        self.assertEqual(run.state, "broken")
        self.assertIn("Released record of %s was changed: %s" % (u1.name, a1.name),
                      run.message)
        self.assertIn("Released record of %s was changed" % u2.name, run.message)
        self.assertEqual(run.broken_sequence, self.entry(u1).sequence)
        # deleted by SQL: missing
        self.env.cr.execute("DELETE FROM ir_attachment WHERE id = %s", [a2.id])
        self.assertIn("Released record of %s is missing" % u2.name, self.verify().message)

    def test_users_cannot_delete_or_replace_the_stored_record(self):
        (u1, _u2), _event, _release = self.released_pumps(2)
        attachment = self.stored(u1)
        before = attachment.datas
        for user in (self.trace_user, self.qm):
            mine = attachment.sudo(user)
            with self.assertRefused("frozen at its release"):
                mine.unlink()
            with self.assertRefused("frozen at its release"):
                mine.write({"datas": base64.b64encode(b"%PDF-1.4 other")})
            with self.assertRefused("frozen at its release"):
                mine.write({"name": "renamed.pdf"})
        attachment.invalidate_cache()
        self.assertEqual(attachment.datas, before)
        self.assertEqual(self.verify().state, "intact")

    def test_release_of_50_units_freezes_each_record_in_one_rendering(self):
        """One signature, 50 records frozen by one rendering split per unit (its time
        is measured in docs/device_history.md, not here)."""
        sensor = self._product("T Sensor", "serial")
        sensor.product_tmpl_id.serial_requires_release = True
        bom = self._bom(sensor, [(self.hsg, 1)])
        self.flow._receive(self.supplier, [(self.hsg, 50, None)])
        mo = self.flow._start_production(sensor, 50, bom)
        for i in range(1, 51):
            self.flow._produce(mo, 1, "S%02d" % i, [])
        self.flow._finish(mo)
        units = mo._serial_finished_lots()
        self.approve(self.new_event(units))
        lot_class = type(self.env["stock.production.lot"])
        freeze = lot_class._serial_freeze_records
        calls = []

        def counted(lots, release):
            calls.append(len(lots))
            return freeze(lots, release)
        with mock.patch.object(lot_class, "_serial_freeze_records", counted):
            self.release(mo)
        self.assertEqual(calls, [50])
        self.assertEqual(len(units.filtered(lambda u: self.entry(u))), 50)
