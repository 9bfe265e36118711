"""Child process for the durability tests of ``jupyterlab_trusted_identity.audit``.

Usage: ``python audit_writer.py PATH TAG``. Appends records with kernel ids ``TAG-0``,
``TAG-1``, ... in a tight loop until killed, and after each append (a committed transaction)
prints the number of records committed so far, flushed, so the parent knows what must
survive a SIGKILL.
"""

import sys

from jupyterlab_trusted_identity.audit import AuditStore


def main() -> None:
    path, tag = sys.argv[1], sys.argv[2]
    store = AuditStore(path)
    out = sys.stdout
    i = 0
    while True:
        store.append(
            {
                "event": "checked",
                "kernel_id": f"{tag}-{i}",
                "kernel_name": "python3",
                "session_path": f"work/{tag}.ipynb",
                "verdict": "propagated",
                "access_key_id": "ASIAIOSFODNN7EXAMPLE",
            }
        )
        i += 1
        out.write(f"{i}\n")
        out.flush()


if __name__ == "__main__":
    main()
