/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.serial_unit_list', function (require) {
"use strict";

/* A list whose rows stand for units (a trace's rows): a click opens the unit's own
 * form (its lot/serial; a row without a lot, an untracked component, opens its
 * product), not the row's record. Use: <tree js_class="serial_unit_list"> with the
 * fields lot_id and product_id in the view. */
var ListController = require('web.ListController');
var ListView = require('web.ListView');
var viewRegistry = require('web.view_registry');

var UnitListController = ListController.extend({
    _onOpenRecord: function (event) {
        event.stopPropagation();
        var self = this;
        var data = this.model.get(event.data.id, {raw: true}).data;
        if (data.lot_id) {
            // the lot's full form (with its genealogy buttons), from the server
            return this._rpc({model: 'stock.production.lot', method: 'action_open_form',
                              args: [[data.lot_id]]})
                .then(function (action) { return self.do_action(action); });
        }
        if (data.product_id) {
            return this.do_action({type: 'ir.actions.act_window', res_model: 'product.product',
                                   res_id: data.product_id, views: [[false, 'form']],
                                   target: 'current'});
        }
    },
});

var UnitListView = ListView.extend({
    config: _.extend({}, ListView.prototype.config, {Controller: UnitListController}),
});

viewRegistry.add('serial_unit_list', UnitListView);

return {UnitListController: UnitListController, UnitListView: UnitListView};

});
