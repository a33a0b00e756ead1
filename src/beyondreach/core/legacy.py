"""What is left of the project's first name, TNR Watch, and why each is kept.

The product was renamed Beyond Reach (Freedom House publishes a series called "TNR Watch",
and the software must not be taken for theirs). Databases, backups, proofs and settings made
under the old name keep working, so the values they hold are still understood here, and only
here: nothing else in the tree carries the old name.
"""

from __future__ import annotations

# Derivation labels of every organisation's blind-index and pseudonym keys
# (core/crypto.py). Every stored name token and pseudonym was made with them: a new label
# would leave every name search empty and change every pseudonym partners know.
BLIND_INDEX_LABEL = b"tnrwatch blind index v1"
PSEUDONYM_LABEL = b"tnrwatch pseudonym v1"

# The first line of proofs of submission signed before the rename: reporters hold them,
# and a lawyer must still be able to check one (reports/proof.py).
OLD_PROOF_HEADER = "TNR Watch proof of submission"

# The manifest format of encrypted backups made before the rename (core/backup.py).
OLD_BACKUP_FORMAT = "tnrwatch-backup"

# The Python package of tasks queued before the rename (django_tasks_db keeps the import
# path): migration core 0003 points them at the new package.
OLD_PACKAGE = "tnrwatch"

# The environment prefix before the rename: settings refuse to start while a variable still
# has it, rather than run without the database or keys it names (settings.py).
OLD_ENV_PREFIX = "TNRWATCH_"
