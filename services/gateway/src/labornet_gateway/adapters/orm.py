"""gateway tables: for now only the messaging tables every service carries."""

from labornet_common.platform.db import new_metadata
from labornet_common.platform.outbox import messaging_tables

metadata = new_metadata()
messaging = messaging_tables(metadata)
