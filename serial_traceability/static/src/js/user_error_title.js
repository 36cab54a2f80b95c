/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.user_error_title', function (require) {
"use strict";

/* The host maps a UserError to the title "Warning" (crash_manager.js, map_title), but
 * Odoo 11 titles the dialog with the RPC error's message, always "Odoo Server Error",
 * and adds " - Warning" (its lazy translation never equals the string it is compared
 * with): every refusal of a user's action ("PUMP-0007 is on quality hold") reads as
 * if the server had crashed. Refusals are titled "Warning"; real server errors keep
 * their own dialog. */
var CrashManager = require('web.CrashManager');
var core = require('web.core');

var _t = core._t;
var REFUSALS = ['user_error', 'warning'];

CrashManager.include({
    show_warning: function (error) {
        var kind = error && error.data && error.data.exception_type;
        if (_.contains(REFUSALS, kind)) {
            error = _.extend({}, error, {
                type: _t("Warning"), data: _.extend({}, error.data, {title: ''})});
        }
        return this._super(error);
    },
});

});
