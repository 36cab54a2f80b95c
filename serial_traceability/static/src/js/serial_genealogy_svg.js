/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.serial_genealogy_svg', function (require) {
"use strict";

/* The genealogy picture: the SVG Graphviz drew on the server (lib/genealogy_dot.py),
 * shown as it is, and a click on a box opens what it stands for: a unit's form, a
 * customer, or the list of the units a grouped box counts. */
var AbstractField = require('web.AbstractField');
var fieldRegistry = require('web.field_registry');

var GenealogySvg = AbstractField.extend({
    tagName: 'div',
    className: 'o_serial_genealogy_svg',
    events: {
        'click a': '_onClickNode',
    },
    supportedFieldTypes: ['text', 'html'],

    _render: function () {
        // the server's own drawing, made from escaped DOT text by Graphviz
        this.$el.html(this.value || '');
        // fit the sheet's width (the viewBox keeps the proportions); scroll if taller
        this.$('svg').attr('width', '100%').removeAttr('height');
        this.$el.css({display: 'block', width: '100%', overflow: 'auto', 'max-height': '75vh',
                     'text-align': 'center'});
        this.$('a').css('cursor', 'pointer');
    },

    _onClickNode: function (event) {
        event.preventDefault();
        event.stopPropagation();
        var link = event.currentTarget;
        var href = link.getAttribute('xlink:href') || link.getAttribute('href') || '';
        var parts = href.replace(/^#/, '').split('-');
        var lotId = this.record.data.lot_id && this.record.data.lot_id.res_id;
        var self = this;
        var call = function (model, method, args) {
            return self._rpc({model: model, method: method, args: args})
                .then(function (action) { return self.do_action(action); });
        };
        if (parts[0] === 'lot') {
            return call('stock.production.lot', 'action_open_form', [[parseInt(parts[1], 10)]]);
        }
        if (parts[0] === 'group' && lotId) {
            return call('stock.production.lot', 'action_open_genealogy_group',
                        [[lotId], parts[1], parseInt(parts[2], 10), parseInt(parts[3], 10)]);
        }
        if (parts[0] === 'customers' && lotId) {
            return call('stock.production.lot', 'action_view_customers', [[lotId]]);
        }
        if (parts[0] === 'partner') {
            return this.do_action({type: 'ir.actions.act_window', res_model: 'res.partner',
                                   res_id: parseInt(parts[1], 10), views: [[false, 'form']],
                                   target: 'current'});
        }
    },
});

fieldRegistry.add('serial_genealogy_svg', GenealogySvg);

return GenealogySvg;

});
