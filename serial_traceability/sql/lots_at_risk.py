"""SQL text of the lots at risk of a recall, host-free.

Lots at risk are the other lots that share an input with the suspects: walk back
from the suspects to every lot they were made from, then one step forward from each
of those inputs to the lots it also went into. What the recall already reaches
(the suspects, what they went into, what they were made from) is left out.

Parameters only: ``lot_ids`` (suspects), ``company_ids``, ``max_depth``, ``limit``.
"""

AT_RISK = """
    WITH RECURSIVE up(lot_id, depth) AS (
        SELECT e.component_lot_id, 1
          FROM serial_genealogy_edge e
         WHERE e.active AND e.parent_lot_id = ANY(%(lot_ids)s::int[])
           AND e.company_id = ANY(%(company_ids)s::int[])
        UNION
        SELECT e.component_lot_id, u.depth + 1
          FROM up u
          JOIN serial_genealogy_edge e ON e.parent_lot_id = u.lot_id AND e.active
         WHERE u.depth < %(max_depth)s AND e.company_id = ANY(%(company_ids)s::int[])
    ), down(lot_id, depth) AS (
        SELECT e.parent_lot_id, 1
          FROM serial_genealogy_edge e
         WHERE e.active AND e.component_lot_id = ANY(%(lot_ids)s::int[])
        UNION
        SELECT e.parent_lot_id, d.depth + 1
          FROM down d
          JOIN serial_genealogy_edge e ON e.component_lot_id = d.lot_id AND e.active
         WHERE d.depth < %(max_depth)s
    ), inputs AS (
        SELECT lot_id, MIN(depth) AS depth FROM up GROUP BY lot_id
    )
    SELECT e.parent_lot_id AS lot_id, e.component_lot_id AS shared_lot_id,
           MIN(i.depth) AS depth, SUM(e.qty) AS qty
      FROM inputs i
      JOIN serial_genealogy_edge e ON e.component_lot_id = i.lot_id AND e.active
     WHERE e.company_id = ANY(%(company_ids)s::int[])
       AND e.parent_lot_id <> ALL(%(lot_ids)s::int[])
       AND NOT EXISTS (SELECT 1 FROM inputs x WHERE x.lot_id = e.parent_lot_id)
       AND NOT EXISTS (SELECT 1 FROM down d WHERE d.lot_id = e.parent_lot_id)
     GROUP BY e.parent_lot_id, e.component_lot_id
     ORDER BY MIN(i.depth), e.component_lot_id, e.parent_lot_id
     LIMIT %(limit)s
"""
