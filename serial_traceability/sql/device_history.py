"""SQL text of the device history record and the batch record, host-free.

Every statement takes parameters only (``%(name)s``); nothing is formatted in.
Quantities are converted to the product's unit of measure: the host's move lines
keep ``qty_done`` in the line's unit, and ``qty / line_uom.factor * product_uom.factor``
is the host's own conversion (``product.uom._compute_quantity`` without rounding).
Names come translated as the host's ORM reads a translated column: the newest
non-empty ``ir_translation`` row in the user's language (``lang``), else the column.
"""

_TRANSLATED = """COALESCE((SELECT t.value FROM ir_translation t
                    WHERE t.type = 'model' AND t.name = '{field}' AND t.lang = %(lang)s
                      AND t.res_id = {id} AND t.value != ''
                    ORDER BY t.id DESC LIMIT 1), {column})"""


def translated(field, id_expr, column):
    """SQL of a translated column (``field``: the host's ``model,field`` name, a
    constant of this package, never user input)."""
    return _TRANSLATED.format(field=field, id=id_expr, column=column)


# What the host's product.product.name_get prints, as three columns of the product
# ``{pp}`` of template ``{pt}``: the name (translated), the internal reference and the
# values of the attributes that have several values on the template, in the values'
# order (``product_name``, ``product_code``, ``product_variant``).
_PRODUCT_NAME = """{name} AS product_name, {pp}.default_code AS product_code,
       (SELECT string_agg({value}, ', ' ORDER BY v.sequence, a.sequence, a.name, v.id)
          FROM product_attribute_value_product_product_rel r
          JOIN product_attribute_value v ON v.id = r.product_attribute_value_id
          JOIN product_attribute a ON a.id = v.attribute_id
         WHERE r.product_product_id = {pp}.id
           AND EXISTS (SELECT 1 FROM product_attribute_line al
                         JOIN product_attribute_line_product_attribute_value_rel alv
                           ON alv.product_attribute_line_id = al.id
                        WHERE al.product_tmpl_id = {pp}.product_tmpl_id
                          AND al.attribute_id = v.attribute_id
                        GROUP BY al.id HAVING COUNT(*) > 1)) AS product_variant"""


def product_name_columns(pp, pt):
    """The three name columns of product alias ``pp`` (template alias ``pt``)."""
    return _PRODUCT_NAME.format(
        pp=pp, name=translated("product.template,name", pt + ".id", pt + ".name"),
        value=translated("product.attribute.value,name", "v.id", "v.name"))


# Every component at every level of a unit's build, from the per-serial genealogy
# links (so a unit of a multi-unit MO gets its own components only, never a
# sibling's): one row per link, with the quantity that link consumed, the unit of
# measure's, the product's and the supplier's names; the walk limited to the user's
# companies (``user.company_ids``). Parameters: ``lot_id``, ``uid``, ``lang``.
AS_BUILT = """
SELECT w.lot_id, w.parent_lot_id, w.depth, w.production_id,
       l.name AS lot_name, l.product_id, l.supplier_id, l.vendor_lot,
       pt.uom_id, q.qty, {uom_name} AS uom_name, sp.display_name AS supplier_name,
       {product}
  FROM serial_genealogy_walk_backward(
           %(lot_id)s, ARRAY(SELECT cid FROM res_company_users_rel WHERE user_id = %(uid)s),
           NULL) w
  JOIN stock_production_lot l ON l.id = w.lot_id
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  LEFT JOIN res_partner sp ON sp.id = l.supplier_id
 CROSS JOIN LATERAL (
       SELECT SUM(e.qty / mu.factor * pu.factor) AS qty
         FROM serial_genealogy_edge e
         JOIN stock_move_line ml ON ml.id = e.move_line_id
         JOIN product_uom mu ON mu.id = ml.product_uom_id
        WHERE e.parent_lot_id = w.parent_lot_id AND e.component_lot_id = w.lot_id
          AND e.production_id IS NOT DISTINCT FROM w.production_id AND e.active) q
 ORDER BY w.depth, w.parent_lot_id, l.name, w.lot_id
""".format(uom_name=translated("product.uom,name", "pu.id", "pu.name"),
           product=product_name_columns("pp", "pt"))

# The untracked components consumed into the given built lots: the host's produce
# wizard writes them as move lines without a lot, with ``lot_produced_id`` set to the
# unit being built. Parameters: ``lot_ids``, ``production_ids``, ``lang``.
UNTRACKED = """
SELECT x.*, pl.name AS parent_name, {uom_name} AS uom_name, {product}
  FROM (
SELECT ml.lot_produced_id AS parent_lot_id, m.raw_material_production_id AS production_id,
       ml.product_id, pt.uom_id, SUM(ml.qty_done / mu.factor * pu.factor) AS qty
  FROM stock_move m
  JOIN stock_move_line ml ON ml.move_id = m.id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
 WHERE m.raw_material_production_id = ANY(%(production_ids)s)
   AND ml.lot_produced_id = ANY(%(lot_ids)s)
   AND ml.lot_id IS NULL AND ml.state = 'done'
 GROUP BY ml.lot_produced_id, m.raw_material_production_id, ml.product_id, pt.uom_id
       ) x
  JOIN stock_production_lot pl ON pl.id = x.parent_lot_id
  JOIN product_uom pu ON pu.id = x.uom_id
  JOIN product_product pp ON pp.id = x.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 ORDER BY x.parent_lot_id, x.product_id
""".format(uom_name=translated("product.uom,name", "pu.id", "pu.name"),
           product=product_name_columns("pp", "pt"))

# The finished units an MO produced, in the order they were recorded: the position of
# a unit in its MO. From the lots the MO built (``production_id``, indexed) to their
# done move lines (``stock_move_line_serial_lot_date_idx``), gathered first behind a
# fence (``OFFSET 0``); the host has no index on ``stock_move.production_id``. The
# product's unit of measure in a sub-select: fewer joins to plan.
# Parameters: ``production_id``.
PRODUCED_UNITS = """
SELECT ml.lot_id, SUM(ml.qty_done / mu.factor * (
           SELECT pu.factor FROM product_product pp
             JOIN product_template pt ON pt.id = pp.product_tmpl_id
             JOIN product_uom pu ON pu.id = pt.uom_id
            WHERE pp.id = ml.product_id)) AS qty,
       MIN(ml.date) AS date
  FROM (SELECT ml.id, ml.lot_id, ml.move_id, ml.product_id, ml.product_uom_id,
               ml.qty_done, ml.date
          FROM stock_production_lot l
          JOIN stock_move_line ml ON ml.lot_id = l.id AND ml.state = 'done'
         WHERE l.production_id = %(production_id)s OFFSET 0) ml
  JOIN stock_move m ON m.id = ml.move_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
 WHERE m.production_id = %(production_id)s AND ml.product_id = m.product_id
 GROUP BY ml.lot_id
 ORDER BY MIN(ml.date), MIN(ml.id)
"""

# Where a lot's quantity went, from its done move lines (product unit of measure):
# net into customers, net into production (consumption less what MOs produced),
# net into scrap locations; what is in stock now comes from the quants.
# Parameters: ``lot_id``.
WHERE_WENT = """
SELECT
  COALESCE(SUM(CASE WHEN dst.usage = 'customer' THEN x.qty ELSE 0 END)
         - SUM(CASE WHEN src.usage = 'customer' THEN x.qty ELSE 0 END), 0) AS shipped,
  COALESCE(SUM(CASE WHEN dst.usage = 'production' THEN x.qty ELSE 0 END)
         - SUM(CASE WHEN src.usage = 'production' AND x.production_id IS NULL
                    THEN x.qty ELSE 0 END), 0) AS consumed,
  COALESCE(SUM(CASE WHEN dst.scrap_location THEN x.qty ELSE 0 END)
         - SUM(CASE WHEN src.scrap_location THEN x.qty ELSE 0 END), 0) AS scrapped,
  COALESCE(SUM(CASE WHEN src.usage = 'production' AND x.production_id IS NOT NULL
                    THEN x.qty ELSE 0 END), 0) AS produced,
  COALESCE(SUM(CASE WHEN src.usage = 'supplier' THEN x.qty ELSE 0 END), 0) AS received,
  (SELECT COALESCE(SUM(q.quantity), 0) FROM stock_quant q
     JOIN stock_location ql ON ql.id = q.location_id
    WHERE q.lot_id = %(lot_id)s AND ql.usage = 'internal') AS in_stock
  FROM (SELECT ml.location_id, ml.location_dest_id, m.production_id,
               ml.qty_done / mu.factor * pu.factor AS qty
          FROM stock_move_line ml
          JOIN stock_move m ON m.id = ml.move_id
          JOIN product_product pp ON pp.id = ml.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
          JOIN product_uom pu ON pu.id = pt.uom_id
          JOIN product_uom mu ON mu.id = ml.product_uom_id
         WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done') x
  JOIN stock_location src ON src.id = x.location_id
  JOIN stock_location dst ON dst.id = x.location_dest_id
"""
