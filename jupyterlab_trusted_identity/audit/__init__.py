"""Audit store: one record per kernel launch, kernel restart, explicit check and Test access.

The records answer "which identity did this kernel run with, and was it propagated?" after
the fact, so they must survive a server restart and an abrupt kill (SageMaker Studio stops
spaces without warning). They live in a small SQLite file (stdlib ``sqlite3`` only):

* WAL journal with ``synchronous=NORMAL``: a committed transaction survives a process kill;
* one connection per store, every access serialized by a lock, so the store can be shared
  by the tornado thread pool and by :class:`AsyncAudit`'s worker;
* several processes may write the same file; ``busy_timeout`` makes them wait for each other;
* bounded size: records older than ``retention_days`` and beyond ``max_records`` are pruned;
* a file that is not a usable SQLite database is moved aside and a fresh store is started,
  because the server must never fail to start because of its audit file.

Records hold only the fields of :data:`AUDIT_FIELDS`; anything else a caller passes is
dropped, and the access key id is masked again before it is written, so no credential can
reach the file by mistake.

Modules: records (fields, events, the record of a report, the record as stored), schema (the
table layout and STORE_VERSION), database (the SQLite file), store (AuditStore and its
bounds), asynchronous (AsyncAudit for the event loop), csv_export (the CSV download); the
opt-in forwarding to CloudWatch Logs: outbox (the store as its durable outbox), cloudwatch (log
group, stream and PutLogEvents batches), forwarding (AuditForwarder, its rounds and status).
"""

from .asynchronous import AsyncAudit
from .csv_export import records_to_csv
from .records import AUDIT_EVENTS, AUDIT_FIELDS, access_test_record, audit_record, format_time
from .schema import STORE_VERSION
from .store import (
    PRUNE_EVERY,
    AuditStore,
    DisabledAuditStore,
    default_audit_path,
    open_audit_store,
)

__all__ = [
    "AUDIT_EVENTS",
    "AUDIT_FIELDS",
    "PRUNE_EVERY",
    "STORE_VERSION",
    "AsyncAudit",
    "AuditStore",
    "DisabledAuditStore",
    "access_test_record",
    "audit_record",
    "default_audit_path",
    "format_time",
    "open_audit_store",
    "records_to_csv",
]
