from . import serial_trace
