"""gateway tables: for now only the messaging tables every service carries."""

from labornet_common.db import new_metadata
from labornet_common.outbox import messaging_tables

metadata = new_metadata()
messaging = messaging_tables(metadata)
