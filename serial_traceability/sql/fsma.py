"""SQL text of the FSMA 204 export (21 CFR 1.1455(c)(3)(ii)): the critical tracking
events of lot-tracked products, one row per done move line (one event of one lot),
read in keyset batches (``after``, ``batch``).

Events, from the locations of the host's done move lines:
- receiving: supplier location -> internal location (a receipt);
- transformation input: internal -> production location with
  ``raw_material_production_id`` (an MO consumed the lot; ``lot_produced_id`` is
  the lot it went into);
- transformation output: production location -> internal with ``production_id``
  (an MO made the lot);
- shipping: internal -> customer location (a delivery).

The traceability lot code's source is the first receipt or production of the lot:
the supplier (partner of the receipt) or the company at its production location. The
input lots of a transformation come from the addon's link table
(``serial_genealogy_edge``, indexed by output lot), not from a scan of the MO's moves.

Parameters: ``company_ids`` (int[]), ``product_ids`` (int[]), ``lot_ids`` (int[] or
NULL: every lot), ``date_from`` / ``date_to`` (timestamps, ``date_to`` excluded),
``after``, ``batch``.
"""

_EVENT = """
CASE WHEN src.usage = 'supplier' AND dst.usage = 'internal' THEN 'receiving'
     WHEN src.usage = 'internal' AND dst.usage = 'production'
          AND m.raw_material_production_id IS NOT NULL THEN 'transformation_input'
     WHEN src.usage = 'production' AND dst.usage = 'internal'
          AND m.production_id IS NOT NULL THEN 'transformation_output'
     WHEN src.usage = 'internal' AND dst.usage = 'customer' THEN 'shipping'
END
"""

_ADDRESS = "concat_ws(', ', {p}.name, {p}.street, {p}.street2, {p}.zip, {p}.city, " \
           "{s}.name, {c}.name)"

_FROM = """
  FROM stock_move_line ml
  JOIN stock_move m ON m.id = ml.move_id
  JOIN stock_location src ON src.id = ml.location_id
  JOIN stock_location dst ON dst.id = ml.location_dest_id
"""

_WHERE = """
 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
   AND m.company_id = ANY(%(company_ids)s)
   AND ml.product_id = ANY(%(product_ids)s)
   AND (%(lot_ids)s::int[] IS NULL OR ml.lot_id = ANY(%(lot_ids)s::int[]))
   AND ml.date >= %(date_from)s AND ml.date < %(date_to)s
   AND ({event}) IS NOT NULL
""".format(event=_EVENT)

ANY_EVENT = "SELECT 1" + _FROM + _WHERE + " LIMIT 1"

# What EVENTS reads besides the filter's tables; ``origin``: the first receipt or
# production of the lot, the source of its traceability lot code.
_JOINS = """
  JOIN stock_production_lot lot ON lot.id = ml.lot_id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  LEFT JOIN product_uom u ON u.id = ml.product_uom_id
  LEFT JOIN stock_picking pk ON pk.id = ml.picking_id
  LEFT JOIN mrp_production mo ON mo.id = COALESCE(m.production_id,
                                                   m.raw_material_production_id)
  LEFT JOIN stock_production_lot outlot ON outlot.id = ml.lot_produced_id
  LEFT JOIN res_partner rp ON rp.id = COALESCE(pk.partner_id, m.partner_id)
  LEFT JOIN res_country_state rs ON rs.id = rp.state_id
  LEFT JOIN res_country rc ON rc.id = rp.country_id
  LEFT JOIN res_company co ON co.id = m.company_id
  LEFT JOIN res_partner cp ON cp.id = co.partner_id
  LEFT JOIN res_country_state cs ON cs.id = cp.state_id
  LEFT JOIN res_country cn ON cn.id = cp.country_id
  LEFT JOIN LATERAL (
       SELECT fml.location_id, fml.picking_id, fm.company_id,
              fsrc.usage, fpk.partner_id
         FROM stock_move_line fml
         JOIN stock_move fm ON fm.id = fml.move_id
         JOIN stock_location fsrc ON fsrc.id = fml.location_id
         LEFT JOIN stock_picking fpk ON fpk.id = fml.picking_id
        WHERE fml.lot_id = ml.lot_id AND fml.state = 'done'
          AND fsrc.usage IN ('supplier', 'production')
        ORDER BY fml.date, fml.id
        LIMIT 1) origin ON TRUE
  LEFT JOIN res_partner tsp ON origin.usage = 'supplier' AND tsp.id = origin.partner_id
  LEFT JOIN res_country_state tss ON tss.id = tsp.state_id
  LEFT JOIN res_country tsn ON tsn.id = tsp.country_id
  LEFT JOIN res_company tco ON origin.usage = 'production' AND tco.id = origin.company_id
  LEFT JOIN res_partner tsc ON tsc.id = tco.partner_id
  LEFT JOIN res_country_state tcs ON tcs.id = tsc.state_id
  LEFT JOIN res_country tcn ON tcn.id = tsc.country_id
  LEFT JOIN stock_location tsl ON origin.usage = 'production' AND tsl.id = origin.location_id
"""

EVENTS = """
SELECT ml.id, {event} AS event, lot.name AS tlc,
       COALESCE(tsp.name, tsc.name) AS tlc_source,
       CASE WHEN tsp.id IS NOT NULL THEN {tsp_addr}
            WHEN tsc.id IS NOT NULL THEN {tsc_addr} || ' / ' || tsl.complete_name
       END AS tlc_source_address,
       COALESCE('[' || pp.default_code || '] ', '') || pt.name AS product,
       ml.qty_done AS qty, u.name AS uom,
       CASE WHEN src.usage = 'supplier' THEN {pp_addr}
            ELSE {cp_addr} || ' / ' || src.complete_name END AS ship_from,
       CASE WHEN dst.usage = 'customer' THEN {pp_addr}
            ELSE {cp_addr} || ' / ' || dst.complete_name END AS ship_to,
       ml.date AS event_date,
       CASE WHEN mo.id IS NOT NULL THEN 'Manufacturing order'
            WHEN dst.usage = 'customer' THEN 'Delivery order'
            WHEN pk.id IS NOT NULL THEN 'Receipt' END AS ref_type,
       COALESCE(mo.name, pk.name) AS ref_number,
       outlot.name AS output_tlc,
       (SELECT string_agg(DISTINCT il.name, ', ')
          FROM serial_genealogy_edge e
          JOIN stock_production_lot il ON il.id = e.component_lot_id
         WHERE m.production_id IS NOT NULL AND src.usage = 'production'
           AND e.parent_lot_id = ml.lot_id AND e.production_id = m.production_id
           AND e.active) AS input_tlcs
{from_}{joins}{where}
   AND ml.id > %(after)s
 ORDER BY ml.id
 LIMIT %(batch)s
""".format(event=_EVENT, from_=_FROM, joins=_JOINS, where=_WHERE,
           tsp_addr=_ADDRESS.format(p="tsp", s="tss", c="tsn"),
           tsc_addr=_ADDRESS.format(p="tsc", s="tcs", c="tcn"),
           pp_addr=_ADDRESS.format(p="rp", s="rs", c="rc"),
           cp_addr=_ADDRESS.format(p="cp", s="cs", c="cn"))
