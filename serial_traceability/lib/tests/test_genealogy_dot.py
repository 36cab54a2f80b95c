"""The genealogy picture's DOT: one node per unit, or grouped past a size; the SVG
Graphviz draws from it."""
import shutil

import pytest

from serial_traceability.lib import genealogy_dot as gd

CAP, PCB, PUMP, MCU = 1, 2, 3, 4
PRODUCTS = {CAP: "Capacitor", PCB: "PCB", PUMP: "Pump", MCU: "MCU"}
needs_dot = pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz (dot) not installed")


def unit(lot_id, name, product, status="consumed"):
    return gd.Unit(lot_id, name, product, PRODUCTS[product], status)


def capacitor_in(pcbs, customers=0, **kwargs):
    """A capacitor lot (id 1) in ``pcbs`` PCBs, each in one pump; pump i goes to
    customer i % customers when there are customers."""
    units = {1: unit(1, "CAP-L7", CAP, "in_stock")}
    links, deliveries = [], []
    for i in range(pcbs):
        pcb, pump = 100000 + i, 200000 + i
        units[pcb] = unit(pcb, "PCB-%d" % i, PCB)
        units[pump] = unit(pump, "PUMP-%d" % i, PUMP, "shipped" if customers else "in_stock")
        links += [gd.Link(1, pcb, "forward", 1), gd.Link(pcb, pump, "forward", 2)]
        if customers:
            deliveries.append((pump, 50 + i % customers))
    names = {50 + c: "Hospital %d" % c for c in range(customers)}
    return gd.Picture(1, units, links, deliveries, names, **kwargs)


def test_a_small_genealogy_is_drawn_unit_by_unit():
    units = {3: unit(3, "PUMP-7", PUMP, "shipped"), 2: unit(2, "PCB-7", PCB),
             1: unit(1, "CAP-L7", CAP, "in_stock"), 4: unit(4, "MCU-7", MCU)}
    links = [gd.Link(2, 3, "backward", 1), gd.Link(1, 2, "backward", 2),
             gd.Link(4, 2, "backward", 2)]
    picture = gd.Picture(3, units, links, [(3, 9)], {9: "City Clinic"})
    assert not picture.grouped
    assert [key for key, _attrs in picture.nodes()] == ["l3", "l2", "l1", "l4", "p9"]
    assert picture.edges() == [("l1", "l2", 1), ("l2", "l3", 1), ("l3", "p9", 1),
                               ("l4", "l2", 1)]
    attrs = dict(picture.nodes())
    assert attrs["l3"]["label"] == "PUMP-7\nPump\nshipped"
    assert attrs["l3"]["penwidth"] == "3"  # the unit itself stands out
    assert attrs["l1"]["URL"] == "#lot-1" and attrs["p9"]["URL"] == "#partner-9"


def test_a_large_genealogy_is_grouped_by_side_level_and_product_with_counts():
    picture = capacitor_in(25000, customers=300)
    assert picture.grouped
    nodes = dict(picture.nodes())
    assert sorted(nodes) == ["customers", "g_forward_1_2", "g_forward_2_3", "l1"]
    assert nodes["g_forward_2_3"]["label"] == "Pump\nused in, level 2\n25,000 units\n" \
                                              "25,000 shipped"
    assert nodes["g_forward_2_3"]["URL"] == "#group-forward-2-3"
    assert nodes["customers"]["label"] == "Customers\n300"
    assert picture.edges() == [("g_forward_1_2", "g_forward_2_3", 25000),
                               ("g_forward_2_3", "customers", 25000),
                               ("l1", "g_forward_1_2", 25000)]
    assert '[label="25,000"]' in picture.dot()


def test_small_groups_stay_unit_by_unit_in_a_grouped_picture():
    picture = capacitor_in(40, group_above=10)
    picture.units[7] = unit(7, "MCU-X", MCU)  # a lone unit of another product
    picture.links.append(gd.Link(1, 7, "forward", 1))
    picture = gd.Picture(1, picture.units, picture.links, [], {}, group_above=10)
    keys = [key for key, _attrs in picture.nodes()]
    assert "l7" in keys and "g_forward_1_2" in keys and "l100000" not in keys


def test_status_words_put_the_urgent_first():
    assert gd.status_words({"in_stock": 120, "shipped": 2380, "recalled": 1}) == \
        "1 recalled, 2,380 shipped, 120 in stock"


def test_names_are_quoted_for_dot():
    assert gd.quote('PUMP "7"\\x\nB') == '"PUMP \\"7\\"\\\\x\\nB"'


@needs_dot
def test_dot_draws_an_svg_with_the_units_and_their_links():
    units = {2: unit(2, 'PCB <7> & "co"', PCB), 1: unit(1, "CAP-L7", CAP, "in_stock")}
    picture = gd.Picture(2, units, [gd.Link(1, 2, "backward", 1)], [], {})
    svg = gd.render_svg(picture.dot())
    assert svg.startswith("<svg")
    assert "PCB &lt;7&gt; &amp; &quot;co&quot;" in svg  # escaped by Graphviz, not raw
    assert 'xlink:href="#lot-1"' in svg


@needs_dot
def test_bad_dot_is_a_picture_error():
    with pytest.raises(gd.PictureError, match="could not draw"):
        gd.render_svg("digraph {")
