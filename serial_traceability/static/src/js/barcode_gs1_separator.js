/* Copyright 2026 serial_traceability developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
odoo.define('serial_traceability.barcode_gs1_separator', function (require) {
"use strict";

/* Keyboard-wedge scanners type the GS1 separator (FNC1, ASCII 29 "GS") as Ctrl+].
 * The host's barcode listener (barcodes/static/src/js/barcode_events.js) drops every
 * keypress with Ctrl, as a possible shortcut, so the separator never reached the
 * server and a GS1 code with a variable-length field before another field became
 * ambiguous. While a scan is being received (keys already buffered), Ctrl+] is
 * given to the listener as the GS character instead. Outside a scan, Ctrl+] is left
 * alone. */
var BarcodeEvents = require('barcodes.BarcodeEvents').BarcodeEvents;

var GS = 29;

function isSeparator(e) {
    if (!e.ctrlKey || e.altKey || e.metaKey) {
        return false;
    }
    return e.key === ']' || e.which === GS || (e.type === 'keypress' && e.which === 93) ||
        (e.type === 'keydown' && e.keyCode === 221);
}

function bufferSeparator(e) {
    if (!isSeparator(e) || !BarcodeEvents.buffered_key_events.length) {
        return;
    }
    // keydown: preventDefault also cancels the keypress that would follow
    e.preventDefault();
    e.stopImmediatePropagation();
    BarcodeEvents.buffered_key_events.push({
        which: GS, keyCode: GS, charCode: GS, key: String.fromCharCode(GS),
        target: e.target, bubbles: e.bubbles, cancelable: e.cancelable,
    });
    clearTimeout(BarcodeEvents.timeout);
    BarcodeEvents.timeout = setTimeout(
        BarcodeEvents.handle_buffered_keys.bind(BarcodeEvents),
        BarcodeEvents.max_time_between_keys_in_ms);
}

document.addEventListener('keydown', bufferSeparator, true);
document.addEventListener('keypress', bufferSeparator, true);

return {bufferSeparator: bufferSeparator};
});
