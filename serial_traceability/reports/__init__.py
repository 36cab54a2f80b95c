from . import serial_recall_xlsx
from . import serial_label
