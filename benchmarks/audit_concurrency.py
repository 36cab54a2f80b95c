#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrent writers never fork the audit trail: the committed-transaction half of
the proof (the unit test shows the lock; committing there would leak into the
shared test database).

    .venv/bin/python benchmarks/audit_concurrency.py [--workers 6] [--appends 40]

Uses ``bench_audit_with`` (made by ``audit_overhead.py``) or ``--db``, built when
missing; it commits there, so never point it at a database you care about.
Each worker thread has its own connection and, per transaction, first reads
something (so Odoo's REPEATABLE READ snapshot predates the lock, the case where a
naive "read head, insert" would fork), waits a little, appends one entry through
``serial.audit.entry._log`` and commits, retrying on serialization failure as Odoo's
RPC layer does (``--stale-heads`` skips the fresh head read, to show the
``ON CONFLICT`` safety net alone also keeps the chain whole). Afterwards: every
append is there exactly once, no two entries share a previous hash, sequences are
gap-free, and the whole chain verifies.

Last line: ``RESULT audit_concurrency mode=... workers=... appends=... retries=...
forks=0 gaps=0 chain=intact ...``.
"""
import argparse
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import audit_overhead as ao  # noqa: E402

ACTION = "bench_concurrency"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--appends", type=int, default=40, help="per worker")
    parser.add_argument("--db", default=ao.DB_WITH,
                        help="a throwaway database with the addon (built when missing)")
    parser.add_argument("--stale-heads", action="store_true",
                        help="skip the fresh head read, so writers use their snapshot's "
                             "(stale) head and the ON CONFLICT safety net must catch it")
    args = parser.parse_args()
    if not ao.db_ready(args.db):
        ao.create_db(args.db, ["serial_traceability"])

    import odoo
    from odoo import SUPERUSER_ID, api
    from psycopg2 import errorcodes
    import psycopg2
    odoo.tools.config.parse_config(["-c", ao.CONF, "--log-level=critical"])
    registry = odoo.registry(args.db)
    run = "R%s" % time.strftime("%H%M%S")
    retries, errors = [0], []
    lock = threading.Lock()

    def work(number):
        rnd = random.Random(number)
        with api.Environment.manage():
            for i in range(args.appends):
                while True:
                    cr = registry.cursor()
                    try:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        cr.execute("SELECT count(*) FROM res_users")  # snapshot taken
                        if args.stale_heads:
                            cr.cache["serial_audit_head_locked"] = True
                        time.sleep(rnd.random() * 0.004)
                        env["serial.audit.entry"]._log(
                            env.user, ACTION, {"worker": (None, number), "i": (None, i)},
                            reason=run)
                        time.sleep(rnd.random() * 0.002)  # hold the lock a little
                        cr.commit()
                        break
                    except psycopg2.Error as exc:
                        cr.rollback()
                        if exc.pgcode != errorcodes.SERIALIZATION_FAILURE:
                            errors.append(repr(exc))
                            return
                        with lock:
                            retries[0] += 1
                    finally:
                        cr.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit("workers failed: %s" % errors[:3])

    expected = args.workers * args.appends
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*), count(DISTINCT new_value) FROM serial_audit_entry "
                   "WHERE action = %s AND reason = %s", (ACTION, run))
        appended, distinct = cr.fetchone()
        cr.execute("SELECT count(*) - count(DISTINCT prev_hash), "
                   "max(sequence) - min(sequence) + 1 - count(*) FROM serial_audit_entry")
        forks, gaps = cr.fetchone()
        verified = env["serial.audit.entry"]._verify_chain()
    chain = "intact" if verified["ok"] else "BROKEN"
    if (appended, distinct, forks, gaps, chain) != (expected, expected, 0, 0, "intact"):
        raise SystemExit("chain check failed: appended=%d distinct=%d forks=%d gaps=%d %s"
                         % (appended, distinct, forks, gaps, verified["message"]))
    print("RESULT audit_concurrency mode=%s workers=%d appends=%d retries=%d forks=%d "
          "gaps=%d chain=%s entries=%d seconds=%.2f"
          % ("stale_heads" if args.stale_heads else "fresh_head", args.workers, appended,
             retries[0], forks, gaps, chain, verified["count"], elapsed))


if __name__ == "__main__":
    main()
