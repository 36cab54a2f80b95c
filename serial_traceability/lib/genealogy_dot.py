"""The genealogy picture of one unit, as Graphviz DOT and SVG; host-free.

The unit in the middle, what went into it to the left (down to raw material lots),
what it went into to the right (finished units, then the customers who received
them), material flowing left to right. Each unit says its status (in stock,
shipped, on hold, recalled...) by its colour and its last line.

A lot used in 25,000 units cannot be drawn unit by unit: past ``group_above`` nodes
the units of one side, level and product become one node that counts them and
their statuses ("Infusion pump · used in, level 3 · 2,500 units · 2,380 shipped,
120 in stock"), and the customers one node; groups of a few units stay drawn unit
by unit. Layout is Graphviz's ``dot`` (Debian package ``graphviz``), run by
``render_svg``; nothing here lays anything out by hand.

Links in the SVG: ``#lot-<id>``, ``#partner-<id>``, ``#group-<side>-<level>-<product
id>`` and ``#customers``; the web client's widget opens what they name.
"""
import collections
import subprocess

GROUP_ABOVE = 60  # nodes: more than this, and the picture is grouped
KEEP_SMALL = 3  # in a grouped picture, groups of at most this many stay unit by unit
DOT_TIMEOUT = 30  # seconds

# status: (words, fill colour); first matching wins when one colour is needed
STATUSES = collections.OrderedDict([
    ("recalled", ("recalled", "#f2b8b5")),
    ("on_hold", ("on hold", "#fbe3a1")),
    ("shipped", ("shipped", "#cfe3f5")),
    ("in_stock", ("in stock", "#d4ecd0")),
    ("consumed", ("consumed", "#eeeeee")),
    ("scrapped", ("scrapped", "#d0d0d0")),
    ("other", ("", "#ffffff")),
])
SIDE_WORDS = {"backward": "went in, level %d", "forward": "used in, level %d"}

Unit = collections.namedtuple("Unit", "id name product_id product status")
# A link: ``component`` went into ``produced``; ``side`` and ``level`` of the row that
# reached it (backward rows reach components, forward rows produced units).
Link = collections.namedtuple("Link", "component produced side level")


class PictureError(RuntimeError):
    """Graphviz could not draw the picture; the message says why."""


def quote(text):
    """``text`` as a DOT quoted string (the SVG writer escapes it for XML)."""
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def status_words(counts):
    """``{status: count}`` as "2,380 shipped, 120 in stock" (most urgent first)."""
    return ", ".join("{:,} {}".format(counts[s], STATUSES[s][0]) for s in STATUSES
                     if counts.get(s) and STATUSES[s][0])


def _first_status(statuses):
    return next((s for s in STATUSES if s in statuses), "other")


class Picture(object):
    """Nodes and edges of one unit's picture, grouped or not (``grouped``)."""

    def __init__(self, root, units, links, deliveries, customers,
                 group_above=GROUP_ABOVE, keep_small=KEEP_SMALL):
        """``root``: the unit's id; ``units``: {id: Unit} (root included); ``links``:
        [Link]; ``deliveries``: [(unit id, partner id)]; ``customers``: {partner id:
        name}."""
        self.root, self.units, self.links = root, units, links
        self.deliveries, self.customers = deliveries, customers
        self.place = {root: ("root", 0)}
        for link in links:  # each unit at the shortest level it is reached at
            reached = link.component if link.side == "backward" else link.produced
            if reached != root and link.level < self.place.get(reached, (None, 1e9))[1]:
                self.place[reached] = (link.side, link.level)
        self.grouped = len(units) + len(customers) > group_above
        members = collections.defaultdict(list)
        for unit_id, (side, level) in self.place.items():
            if unit_id != root:
                members[(side, level, units[unit_id].product_id)].append(unit_id)
        self.groups = {key: ids for key, ids in members.items()
                       if self.grouped and len(ids) > keep_small}
        self.group_of = {unit_id: key for key, ids in self.groups.items() for unit_id in ids}
        self.customers_grouped = self.grouped and len(customers) > keep_small
        # each unit's node, worked out once: a wide trace has tens of thousands of links
        group_keys = {key: "g_%s_%d_%d" % key for key in self.groups}
        self.keys = {unit_id: group_keys[self.group_of[unit_id]] if unit_id in self.group_of
                     else "l%d" % unit_id for unit_id in self.place}

    # -- nodes ----------------------------------------------------------------------
    def unit_key(self, unit_id):
        return self.keys[unit_id]

    def customer_key(self, partner_id):
        return "customers" if self.customers_grouped else "p%d" % partner_id

    def _unit_node(self, unit):
        words, fill = STATUSES[unit.status]
        lines = [unit.name, unit.product] + ([words] if words else [])
        attrs = {"label": "\n".join(lines), "fillcolor": fill, "URL": "#lot-%d" % unit.id,
                 "tooltip": "%s (%s)" % (unit.name, unit.product)}
        if unit.id == self.root:
            attrs.update(penwidth="3", fontsize="16")
        return attrs

    def _group_node(self, key, ids):
        side, level, product_id = key
        counts = collections.Counter(self.units[i].status for i in ids)
        product = self.units[ids[0]].product
        label = "%s\n%s\n{:,} units\n%s".format(len(ids)) % (
            product, SIDE_WORDS[side] % level, status_words(counts))
        return {"label": label, "fillcolor": STATUSES[_first_status(counts)][1],
                "URL": "#group-%s-%d-%d" % (side, level, product_id), "shape": "box3d",
                "tooltip": "%s: %d units, click for the list" % (product, len(ids))}

    def nodes(self):
        """[(key, attrs)] in a stable order."""
        out = [(self.unit_key(self.root), self._unit_node(self.units[self.root]))]
        seen = {out[0][0]}
        for unit_id in sorted(self.place, key=lambda i: (self.place[i][0], self.place[i][1], i)):
            key = self.unit_key(unit_id)
            if key in seen:
                continue
            seen.add(key)
            group = self.group_of.get(unit_id)
            out.append((key, self._group_node(group, self.groups[group]) if group
                        else self._unit_node(self.units[unit_id])))
        if self.customers_grouped:
            out.append(("customers", {
                "label": "Customers\n{:,}".format(len(self.customers)), "shape": "folder",
                "fillcolor": STATUSES["shipped"][1], "URL": "#customers",
                "tooltip": "Every customer who received one of these units"}))
        else:
            for partner_id in sorted(self.customers):
                out.append(("p%d" % partner_id, {
                    "label": self.customers[partner_id], "shape": "folder",
                    "fillcolor": STATUSES["shipped"][1], "URL": "#partner-%d" % partner_id,
                    "tooltip": self.customers[partner_id]}))
        return out

    def edges(self):
        """[(from key, to key, count)]: material flow, each pair of nodes once."""
        keys = self.keys
        counts = collections.Counter(
            (keys[link.component], keys[link.produced]) for link in self.links
            if link.component in keys and link.produced in keys)
        counts.update((keys[unit_id], self.customer_key(partner_id))
                      for unit_id, partner_id in self.deliveries
                      if unit_id in keys and partner_id in self.customers)
        return sorted((a, b, n) for (a, b), n in counts.items() if a != b)

    def dot(self):
        lines = ["digraph genealogy {",
                 '  graph [rankdir=LR, nodesep=0.25, ranksep=0.6, fontname="DejaVu Sans"];',
                 '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", '
                 'fontsize=11, margin="0.12,0.06"];',
                 '  edge [color="#777777", arrowsize=0.7, fontname="DejaVu Sans", '
                 'fontsize=10];']
        for key, attrs in self.nodes():
            lines.append("  %s [%s];" % (key, ", ".join(
                "%s=%s" % (name, quote(value)) for name, value in sorted(attrs.items()))))
        for a, b, count in self.edges():
            label = " [label=%s]" % quote("{:,}".format(count)) if count > 1 else ""
            lines.append("  %s -> %s%s;" % (a, b, label))
        lines.append("}")
        return "\n".join(lines)


def render_svg(dot_text, timeout=DOT_TIMEOUT):
    """The SVG ``dot`` draws for ``dot_text``, as an ``<svg>`` element to inline in a
    page (without the XML prolog); ``PictureError`` when it cannot."""
    try:
        done = subprocess.run(["dot", "-Tsvg"], input=dot_text.encode("utf-8"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except FileNotFoundError:
        raise PictureError("Graphviz is not installed on the server (Debian package "
                           "graphviz, command dot).")
    except subprocess.TimeoutExpired:
        raise PictureError("Graphviz took more than %d s to draw this picture." % timeout)
    if done.returncode:
        raise PictureError("Graphviz could not draw this picture: %s"
                           % done.stderr.decode("utf-8", "replace").strip()[:300])
    svg = done.stdout.decode("utf-8")
    return svg[svg.index("<svg"):]
