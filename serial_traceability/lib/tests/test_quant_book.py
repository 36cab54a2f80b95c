"""The host's quant steps worked out in memory (lib/quant_book.py), rule by rule as
Odoo 11's stock.quant applies them."""
import pytest

from serial_traceability.lib.quant_book import FIFO, LIFO, NeedsHost, QuantBook

PRODUCT, STOCK, CUSTOMER, LOT = 7, 12, 9, 100
NOW = "2026-12-02 10:00:00"


def book(rows, strategy=FIFO, serial=True):
    return QuantBook(
        rows, lambda product, location: strategy, NOW,
        lambda product, value: abs(value) < 0.005,
        lambda product, a, b: 0 if abs(a - b) < 0.005 else (1 if a > b else -1),
        lambda product: serial)


def key(location, lot=LOT, package=0, owner=0):
    return (PRODUCT, location, lot, package, owner)


def test_shipping_a_reserved_serial_empties_and_deletes_its_quant():
    b = book([(1, key(STOCK), 1.0, 1.0, "2026-01-05 08:00:00")])
    b.unreserve(key(STOCK), 1.0)
    in_date = b.update_available(key(STOCK), -1.0)
    b.update_available(key(CUSTOMER), 1.0, in_date)
    updated, created, deleted = b.changes()
    assert [q.id for q in deleted] == [1] and not updated
    assert [(q.key, q.quantity, q.in_date) for q in created] == [
        (key(CUSTOMER), 1.0, "2026-01-05 08:00:00")]  # the source's incoming date


def test_a_quant_only_unreserved_is_kept_and_written():
    b = book([(1, key(STOCK), 2.0, 2.0, None)], serial=False)
    b.unreserve(key(STOCK), 1.0)
    updated, created, deleted = b.changes()
    assert [(q.id, q.quantity, q.reserved) for q in updated] == [(1, 2.0, 1.0)]
    assert not created and not deleted


def test_gather_order_follows_the_removal_strategy():
    rows = [(3, key(STOCK), 1.0, 0.0, "2026-03-01 00:00:00"),
            (2, key(STOCK), 1.0, 0.0, None),
            (1, key(STOCK), 1.0, 0.0, "2026-02-01 00:00:00")]
    assert [q.id for q in book(rows, FIFO, serial=False).gather(key(STOCK))] == [2, 1, 3]
    assert [q.id for q in book(rows, LIFO, serial=False).gather(key(STOCK))] == [3, 1, 2]


def test_the_oldest_incoming_date_is_kept_at_the_destination():
    b = book([(1, key(CUSTOMER), -1.0, 0.0, "2026-05-01 00:00:00")], serial=False)
    assert b.update_available(key(CUSTOMER), 2.0, "2026-06-01 00:00:00") == \
        "2026-05-01 00:00:00"
    assert b.update_available(key(STOCK, lot=101), 1.0) == NOW  # nothing known: now


def test_a_new_quant_is_not_deleted_even_when_empty_and_an_emptied_one_is_gone():
    b = book([(1, key(STOCK), 1.0, 0.0, None)])
    b.update_available(key(STOCK), -1.0)
    assert b.gather(key(STOCK)) == []  # deleted: no later step sees it
    b.update_available(key(STOCK), -1.0)  # negative stock: a new quant
    updated, created, deleted = b.changes()
    assert [q.quantity for q in created] == [-1.0] and [q.id for q in deleted] == [1]


def test_what_the_host_would_refuse_or_redo_is_left_to_it():
    b = book([(1, key(STOCK), 1.0, 0.0, None)])
    with pytest.raises(NeedsHost):
        b.unreserve(key(STOCK), 1.0)  # not reserved: the host retries untracked
    with pytest.raises(NeedsHost):
        b.update_available(key(STOCK), 1.0)  # a serial counted twice
