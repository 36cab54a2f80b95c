# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import hashchain
from ..sql import audit_append as audit_append_sql
from ..sql import audit_trail as audit_sql


class SerialAuditEntry(models.Model):
    """One entry of the append-only, hash-chained audit trail (21 CFR 11.10(e)).

    Entries are only ever inserted by ``_log`` through the database function
    ``serial_audit_append`` (under an advisory lock, see ``sql/audit_trail.py`` and
    ``sql/audit_append.py``); the ORM refuses create/write/unlink for everyone,
    a trigger refuses any INSERT that does not come from that function or does not
    follow the head, and triggers refuse UPDATE, DELETE and TRUNCATE for every
    client. ``hash`` covers ``prev_hash`` and the content columns of the entry's
    ``hash_format`` (docs/audit-trail.md).
    """

    _name = "serial.audit.entry"
    _description = "Audit trail entry"
    _order = "sequence desc"
    _log_access = False
    _rec_name = "sequence"

    sequence = fields.Integer("No.", readonly=True, required=True)
    res_model = fields.Char("Model", readonly=True, required=True, index=True)
    res_id = fields.Integer("Record ID", readonly=True, index=True)
    res_name = fields.Char("Record", readonly=True)
    action = fields.Char(readonly=True, required=True, index=True,
                         help="create, write, unlink, done, sign, state, hold, release...")
    field = fields.Char("Fields", readonly=True,
                        help="The fields this entry changed, comma-separated.")
    old_value = fields.Text("Old values", readonly=True, help="JSON: {field: old value}")
    new_value = fields.Text("New values", readonly=True, help="JSON: {field: new value}")
    user_id = fields.Many2one("res.users", "User", readonly=True, ondelete="restrict")
    user_name = fields.Char("User name", readonly=True,
                            help="The user's printed name when the entry was written.")
    company_id = fields.Many2one("res.company", "Company", readonly=True,
                                 ondelete="restrict")
    timestamp = fields.Datetime(readonly=True, required=True, index=True,
                                help="Database clock (UTC) when the entry was appended.")
    reason = fields.Text(readonly=True)
    prev_hash = fields.Char("Previous hash", readonly=True, required=True)
    hash = fields.Char(readonly=True, required=True)
    # no default: rows written before format 2 keep NULL, which is their format
    hash_format = fields.Integer(
        "Hash format", readonly=True,
        help="2: timestamp hashed as {\"$datetime\": ...}, format included. Empty: an "
             "entry appended before format 2, hashed with PostgreSQL's text of the "
             "timestamp (docs/audit-trail.md).")

    _sql_constraints = [
        ("sequence_uniq", "unique (sequence)", "The audit trail cannot fork."),
        ("prev_hash_uniq", "unique (prev_hash)", "The audit trail cannot fork."),
        ("hash_format", "check (hash ~ '^[0-9a-f]{64}$' and prev_hash ~ '^[0-9a-f]{64}$')",
         "Audit hashes are 64 lowercase hex digits."),
    ]

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute(audit_sql.PROTECT_FUNCTION)
        cr.execute(audit_sql.protect_sql(audit_sql.TABLE))
        for statement in audit_append_sql.FUNCTIONS:
            cr.execute(statement)
        cr.execute(audit_append_sql.GUARD_TRIGGER)
        cr.execute("CREATE INDEX IF NOT EXISTS serial_audit_entry_record_idx "
                   "ON serial_audit_entry (res_model, res_id)")

    @api.multi
    def name_get(self):
        return [(e.id, "#%d %s %s" % (e.sequence, e.action, e.res_name or e.res_model))
                for e in self]

    # -- nobody edits the trail ------------------------------------------------
    # The refusals are the point: there is deliberately no super() to call.
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Audit trail entries are written by the system only."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Audit trail entries can never be changed."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Audit trail entries can never be deleted."))

    # -- appending -------------------------------------------------------------
    @api.model
    def _audit_jsonable(self, value):
        """A JSON-able, readable form of a logged value: records become
        ``[id, display name]`` (a list of those when several)."""
        if isinstance(value, models.BaseModel):
            pairs = [list(pair) for pair in value.sudo().name_get()]
            if not pairs:
                return None
            return pairs[0] if len(pairs) == 1 and len(value) == 1 else pairs
        if isinstance(value, (datetime.datetime, datetime.date)):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        if isinstance(value, (list, tuple, set, frozenset)):
            return [self._audit_jsonable(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self._audit_jsonable(v) for k, v in value.items()}
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        return str(value)

    @api.model
    def _audit_row(self, record, action, changes, reason=None, res_name=None,
                   company_id=None):
        """The content of one entry for ``_log_rows``; ``changes`` {field: (old, new)}."""
        if company_id is None:
            company = record.sudo().company_id if "company_id" in record._fields else None
            company_id = (company and company.id) or self.env.user.company_id.id or None
        if res_name is None:
            res_name = record.sudo().display_name
        names = sorted(changes)
        return {
            "res_model": record._name,
            "res_id": record.id,
            "res_name": res_name or None,
            "action": action,
            "field": ",".join(names),
            "old_value": audit_sql.changes_json(
                {f: self._audit_jsonable(changes[f][0]) for f in names}),
            "new_value": audit_sql.changes_json(
                {f: self._audit_jsonable(changes[f][1]) for f in names}),
            "company_id": company_id,
            "reason": reason or None,
        }

    @api.model
    def _log(self, records, action, changes, reason=None):
        """Append one entry per record: ``action`` (create, write, unlink, sign, state,
        ...) with ``changes`` ``{field_name: (old, new)}`` and an optional reason.

        Needs no access right on the trail (the INSERT is SQL): whoever may change an
        audited record leaves its entry, so there is no reason to sudo(). The entry's
        user is the one of ``records``' environment (a sudo() on the trail model alone
        does not hide who acted; sudo'ed records do). Returns the new entries.
        """
        if not isinstance(action, str) or not action.strip():
            raise UserError(_("An audit entry needs an action."))
        if not isinstance(changes, dict):
            raise UserError(_("Audit changes must be a {field: (old, new)} dict."))
        for name, pair in changes.items():
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise UserError(_("Audit change of %s must be an (old, new) pair.") % name)
        if not records:
            return self.browse()
        names = dict(records.sudo().name_get())
        rows = [self._audit_row(rec, action, changes, reason, res_name=names.get(rec.id))
                for rec in records]
        return self._log_rows(rows, user=records.env.user)

    @api.model
    def _log_rows(self, rows, user=None):
        """Append prepared rows (``_audit_row`` dicts) as ``user`` (default: this
        environment's), 1,000 per call of the database's append function."""
        if not rows:
            return self.browse()
        user = (user or self.env.user).sudo()
        contents = [dict(row, user_id=user.id, user_name=user.name) for row in rows]
        cr = self.env.cr
        cr.execute(audit_sql.LOCK, {"key": audit_sql.LOCK_KEY})
        head_sequence, head_hash = self._committed_head() or (None, None)
        ids = []
        for start in range(0, len(contents), audit_sql.INSERT_BATCH):
            batch = contents[start:start + audit_sql.INSERT_BATCH]
            cr.execute(audit_sql.APPEND, {
                "head_sequence": head_sequence, "head_hash": head_hash,
                "rows": audit_sql.append_rows_json(batch)})
            ids += [r[0] for r in cr.fetchall()]
            head_sequence = head_hash = None  # our own rows are the head now
        return self.browse(ids)

    @api.model
    def _committed_head(self):
        """The head as committed now, read once per transaction on a fresh snapshot.

        Odoo's REPEATABLE READ snapshot predates the lock, so a writer that waited for
        it would read a stale head; its INSERT would then fail with a serialization
        error and Odoo would replay the whole request (see sql/audit_append.py). Once
        this transaction holds the lock nobody else can append until it ends, so its
        own view is authoritative from then on: the extra read happens only on its
        first append (flag reset by the cursor's commit/rollback hooks)."""
        cr = self.env.cr
        if self.pool.test_cr is not None or cr.cache.get("serial_audit_head_locked"):
            return None  # test mode: one shared transaction, nothing to race with
        cr.cache["serial_audit_head_locked"] = True

        def reset():
            cr.cache.pop("serial_audit_head_locked", None)
        cr.after("commit", reset)
        cr.after("rollback", reset)
        with self.pool.cursor() as fresh:
            fresh.execute(audit_sql.COMMITTED_HEAD)
            return fresh.fetchone()

    # -- verification ----------------------------------------------------------
    @api.model
    def _verify_chain(self, page_size=2000):
        """Recompute the whole chain page by page.

        Returns ``{ok, count, message, kind, broken_id, broken_sequence,
        head_sequence, head_hash, head_timestamp}``: ``broken_*`` name the first bad
        entry, ``kind`` says what is wrong with it ("format", "link", "content",
        "number"); ``head_*`` describe the last entry in the table, broken or not.
        """
        cr = self.env.cr

        def fetch_page(after, limit):
            cr.execute(audit_sql.STREAM, {"after": after, "limit": limit})
            return cr.fetchall()

        checked = audit_sql.verify_rows(audit_sql.stream_rows(fetch_page, page_size))
        cr.execute(audit_sql.CURRENT_HEAD)
        head = cr.fetchone()
        result = {"ok": checked["ok"], "kind": checked["kind"], "count": checked["count"],
                  "broken_id": False, "broken_sequence": False,
                  "head_sequence": head[0] if head else 0,
                  "head_hash": head[1] if head else hashchain.GENESIS,
                  "head_timestamp": (audit_sql.parse_timestamp(head[2]) if head else False)}
        if checked["ok"]:
            result["message"] = _("Audit trail intact: %(count)d entries, last no. "
                                  "%(head)d.") % {"count": checked["count"],
                                                  "head": result["head_sequence"]}
            return result
        entry = self.sudo().browse(checked["row_id"])
        what = {
            "link": _("its link to the previous entry is broken (an entry was deleted, "
                      "inserted, reordered, or the previous one altered and rehashed)"),
            "content": _("its content does not match its hash (altered or forged)"),
            "format": _("its hash format is not the current one, which only an entry "
                        "written past the insert check can have"),
            "number": _("its number does not follow the previous entry's (entries "
                        "renumbered or written past the insert check)"),
        }[checked["kind"]]
        result.update(
            broken_id=entry.id, broken_sequence=checked["sequence"],
            message=_("Audit trail BROKEN at entry no. %(seq)d (%(model)s, record "
                      "%(record)s, %(time)s): %(what)s.") % {
                "seq": checked["sequence"], "model": entry.res_model,
                "record": entry.res_name or entry.res_id, "time": entry.timestamp,
                "what": what})
        return result

    @api.multi
    def action_open_record(self):
        self.ensure_one()
        if self.res_model not in self.env or not self.res_id:
            raise UserError(_("This entry's record cannot be opened."))
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(_("%(model)s #%(id)d no longer exists; its history stays "
                              "here.") % {"model": self.res_model, "id": self.res_id})
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": record.id, "view_mode": "form", "target": "current"}
