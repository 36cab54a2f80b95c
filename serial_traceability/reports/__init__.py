from . import serial_recall_xlsx
from . import serial_label
from . import serial_device_history
from . import serial_recall_pdf
from . import serial_device_history_frozen
from . import serial_fsma_xlsx
