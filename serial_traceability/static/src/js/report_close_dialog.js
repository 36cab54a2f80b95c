/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.report_close_dialog', function (require) {
"use strict";

/* A wizard that ends by printing (Generate serials ▸ labels) returns its report with
 * ``close_on_report_download``, as Odoo 12 does: Odoo 11 downloads the PDF and leaves
 * the dialog open, offering the next numbers over a transfer that still shows the old
 * lines. Here the dialog closes once the download is started, and closing it runs its
 * on_close, which reloads the record that opened it. */
var ActionManager = require('web.ActionManager');

ActionManager.include({
    ir_actions_report: function (action, options) {
        var result = this._super.apply(this, arguments);
        if (action.close_on_report_download && this.dialog) {
            var self = this;
            return $.when(result).then(function () {
                return self.do_action({type: 'ir.actions.act_window_close'});
            });
        }
        return result;
    },
});

});
