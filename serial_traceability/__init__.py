from . import lib
from . import sql
from . import models
from . import wizards
from . import reports
from .hooks import post_init_hook, uninstall_hook
