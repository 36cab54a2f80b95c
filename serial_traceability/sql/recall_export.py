"""SQL text of the recall's exports (spreadsheet and CSV), host-free: the affected
units with their key data elements, read in keyset batches (``after``, ``batch``),
and the customers to notify."""

UNITS = """
SELECT l.id, lot.name AS tlc,
       COALESCE('[' || pp.default_code || '] ', '') || pt.name AS product,
       pp.barcode AS gtin, l.qty, u.name AS uom,
       CASE WHEN pk.id IS NOT NULL THEN
            concat_ws(', ', cp.name, cp.street, cp.zip, cp.city) || ' / ' || sl.complete_name
       END AS ship_from,
       rp.name AS ship_to,
       concat_ws(', ', rp.street, rp.street2, rp.zip, rp.city, rs.name, rc.name)
           AS ship_to_address,
       l.ship_date, CASE WHEN pk.id IS NOT NULL THEN 'Delivery order' END AS ref_type,
       pk.name AS ref_number, l.status, l.at_customer, loc.complete_name AS location,
       l.path, root.name AS suspect, l.depth, mo.name AS production,
       wip.name AS wip_production, l.action, l.action_done, l.recovered, l.recovered_date
  FROM serial_recall_line l
  JOIN stock_production_lot lot ON lot.id = l.lot_id
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  LEFT JOIN product_uom u ON u.id = pt.uom_id
  LEFT JOIN stock_picking pk ON pk.id = l.picking_id
  LEFT JOIN stock_location sl ON sl.id = pk.location_id
  LEFT JOIN res_company co ON co.id = pk.company_id
  LEFT JOIN res_partner cp ON cp.id = co.partner_id
  LEFT JOIN res_partner rp ON rp.id = l.partner_id
  LEFT JOIN res_country_state rs ON rs.id = rp.state_id
  LEFT JOIN res_country rc ON rc.id = rp.country_id
  LEFT JOIN stock_location loc ON loc.id = l.location_id
  LEFT JOIN stock_production_lot root ON root.id = l.root_lot_id
  LEFT JOIN mrp_production mo ON mo.id = lot.production_id
  LEFT JOIN mrp_production wip ON wip.id = l.wip_production_id
 WHERE l.recall_id = %(recall_id)s AND l.id > %(after)s
   AND (%(partner_id)s::int IS NULL OR (l.partner_id = %(partner_id)s::int AND l.at_customer))
 ORDER BY l.id
 LIMIT %(batch)s
"""

CONTACTS = """
SELECT rp.name, rp.email, rp.phone, rp.mobile,
       concat_ws(', ', rp.street, rp.street2, rp.zip, rp.city, rs.name, rc.name) AS address,
       count(*) AS units, count(*) FILTER (WHERE l.recovered) AS recovered,
       count(DISTINCT l.picking_id) AS deliveries,
       string_agg(DISTINCT pk.name, ', ') AS refs,
       min(l.ship_date) AS first_ship, max(l.ship_date) AS last_ship,
       EXISTS (SELECT 1 FROM serial_recall_notified_partner_rel n
                WHERE n.recall_id = l.recall_id AND n.partner_id = rp.id) AS notified
  FROM serial_recall_line l
  JOIN res_partner rp ON rp.id = l.partner_id
  LEFT JOIN res_country_state rs ON rs.id = rp.state_id
  LEFT JOIN res_country rc ON rc.id = rp.country_id
  LEFT JOIN stock_picking pk ON pk.id = l.picking_id
 WHERE l.recall_id = %(recall_id)s AND l.at_customer
 GROUP BY l.recall_id, rp.id, rs.name, rc.name
 ORDER BY rp.name, rp.id
"""
