/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.download', function (require) {
"use strict";

/* Download an attachment and leave the form usable. An ``ir.actions.act_url`` with
 * target "self" never ends in Odoo 11 (it waits for the page to unload, which a
 * download does not do): every button of the form stayed disabled after *Export
 * CSV*. This client action fetches the file as reports are fetched
 * (session.get_file, in a hidden frame) and ends at once. */
var core = require('web.core');
var crash_manager = require('web.crash_manager');
var framework = require('web.framework');
var session = require('web.session');

function download(parent, action) {
    var params = action.params || {};
    framework.blockUI();
    session.get_file({
        url: '/web/content',
        data: {id: params.attachment_id, download: true},
        complete: framework.unblockUI,
        error: crash_manager.rpc_error.bind(crash_manager),
    });
    // nothing to do next: the action is over, the buttons come back
}

core.action_registry.add('serial_traceability.download', download);

return download;
});
