/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.serial_lookup_focus', function (require) {
"use strict";

/* Find a unit opens with its code field focused, ready to type or scan into.
 * The host's barcode handler turns a form's autofocus off (a scan must not land in
 * whatever field has the focus); on this screen the code field is where a scan or a
 * typed code goes, so it is focused anyway. A scanner typing into the focused field
 * sends its GS1 separator as Ctrl+], which an input drops: it is written in as the
 * GS character (ASCII 29) the lookup reads. */
var FormController = require('web.FormController');

var GS = String.fromCharCode(29);

function isLookupCode(element) {
    return $(element).is('.o_serial_lookup input[name="code"], ' +
                         '.o_serial_lookup .o_field_widget[name="code"]');
}

FormController.include({
    autofocus: function () {
        this._super.apply(this, arguments);
        if (this.disableAutofocus && this.mode !== 'readonly' && this.renderer &&
                this.renderer.$el && this.renderer.$el.hasClass('o_serial_lookup')) {
            this.renderer.autofocus();
        }
    },
});

$(document).on('keydown', function (e) {
    if (!e.ctrlKey || e.altKey || e.metaKey || !(e.key === ']' || e.keyCode === 221) ||
            !isLookupCode(e.target)) {
        return;
    }
    e.preventDefault();
    var input = e.target;
    var start = input.selectionStart, end = input.selectionEnd;
    input.value = input.value.slice(0, start) + GS + input.value.slice(end);
    input.selectionStart = input.selectionEnd = start + 1;
    $(input).trigger('input');
});

});
