# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Insert many rows of a model in a few statements, and then do what the ORM's
``create`` would have done after each insert.

Used for the lots and operation lines of large receipts: one ``INSERT ... RETURNING``
per 1,000 rows with the ORM's defaults for every stored field not given (other
features' fields included), then, for all rows at once, the stored computed fields,
the fields of other models that depend on them and, when the model is audited, the
audit trail entries.
"""
from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, api

CHUNK = 1000
LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


def bulk_insert(model, rows, with_values=False):
    """INSERT ``rows`` (list of {field: write value}) into ``model``'s table, with the
    ORM's defaults for the stored fields not given; returns the new records in order
    (``with_values``: and the values inserted, a dict per record, for
    ``finish_bulk_insert``). Callers check access rights and call
    ``finish_bulk_insert`` afterwards."""
    if not rows:
        return (model.browse(), []) if with_values else model.browse()
    # the caller's default_* keys (e.g. from a picking's action) are not lot defaults
    clean = api.Environment(model.env.cr, model.env.uid, {
        k: v for k, v in model.env.context.items() if not k.startswith("default_")})[
            model._name]
    given = set().union(*rows)
    # stored computed fields only when given (a value known for new rows)
    columns = [name for name, field in model._fields.items()
               if field.store and field.column_type and (not field.compute or name in given)
               and name not in LOG_COLUMNS and name != "id"]
    defaults = clean.default_get([n for n in columns if n not in given])
    # the ORM's _create sets a stored boolean neither given nor defaulted to False
    defaults.update({n: False for n in columns if n not in given and n not in defaults
                     and model._fields[n].type == "boolean"})
    columns = [n for n in columns if n in given or n in defaults]
    values = [[model._fields[n].convert_to_column(row.get(n, defaults.get(n)), model)
               for n in columns] for row in rows]
    sql = 'INSERT INTO "%s" (%s, create_uid, create_date, write_uid, write_date) VALUES %%s ' \
          'RETURNING id' % (model._table, ", ".join('"%s"' % n for n in columns))
    template = ("(%s, {uid}, now() at time zone 'UTC', {uid}, now() at time zone 'UTC')"
                % ", ".join(["%s"] * len(columns))).format(uid=int(model.env.uid))
    ids = []
    for start in range(0, len(values), CHUNK):
        result = execute_values(model.env.cr, sql, values[start:start + CHUNK],
                                template=template, page_size=CHUNK, fetch=True)
        ids.extend(row[0] for row in result)
    if with_values:
        # a plain column neither given nor defaulted is NULL: False in the cache
        empty = {name: False for name, field in model._fields.items()
                 if field.store and field.column_type and not field.compute
                 and name not in LOG_COLUMNS and name != "id"}
        return model.browse(ids), [dict(empty, **{n: row.get(n, defaults.get(n))
                                                  for n in columns}) for row in rows]
    return model.browse(ids)


def finish_bulk_insert(records, fnames, recompute=True, known=(), values=None):
    """What the ORM does after creating records: compute stored computed fields, tell
    dependants in other models, and log to the audit trail when the model is audited.
    ``recompute=False`` only marks the fields, for a caller that recomputes once after
    several bulk steps. ``known``: stored computed fields inserted with their value
    (the one the ORM would compute for these rows): not recomputed. ``values``: the
    values inserted (``bulk_insert(..., with_values=True)``), put in the cache so that
    what follows (audit snapshot, recompute) does not read the new rows back."""
    model = records.browse()
    records.invalidate_cache()
    for field in model._fields.values():
        if field.store and field.compute and field.name not in known:
            records.env.add_todo(field, records)
    records.modified(list(fnames))
    for name in known:
        records.env.remove_todo(model._fields[name], records)
    # the cache is per user: the audit snapshot reads as superuser
    envs = [records] + ([records.sudo()] if records.env.uid != SUPERUSER_ID else [])
    for recs in envs if values else ():
        for record, vals in zip(recs, values):
            record._cache.update(record._convert_to_cache(vals, validate=False))
    if recompute:
        records.recompute()
    names = records._audit_field_names() if hasattr(records, "_audit_field_names") else []
    targets = records._audit_targets() if names else model
    if targets:
        targets._audit_write_entries("create", {}, targets._audit_snapshot(names), names)
