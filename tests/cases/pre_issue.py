"""The schema of a database made before issue 9 (the incident model), and the way back to it.

Issue 9 began after the migrations of commit ce7a41b; every migration since belongs to it.
`PRE_ISSUE` names the last migration each of our apps had then. An app of ours that did
not exist then is unapplied entirely. Used by tests/cases/test_migrate_forward.py and
bench/bench_migrate.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps as django_apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps

PRE_ISSUE = {
    "core": "0003_tasks_after_rename",
    "cases": "0006_child_start_date",
    "alerts": "0001_initial",
    "outbox": "0001_initial",
    "referrals": "0001_initial",
    "reports": "0002_report_submission",
    "sharing": "0001_initial",
}

Target = tuple[str, str | None]


def _our_apps() -> list[str]:
    return sorted(
        c.label for c in django_apps.get_app_configs() if c.name.startswith("beyondreach.")
    )


def pre_issue_targets(loader: MigrationLoader) -> list[Target]:
    """Where each app was: ours at PRE_ISSUE (None: none of its migrations applied), the
    others (Django's, django-otp's...) at their last migration, as they are today."""
    ours = [app for app in _our_apps() if app in loader.migrated_apps]
    others = [node for node in loader.graph.leaf_nodes() if node[0] not in ours]
    return [(app, PRE_ISSUE.get(app)) for app in ours] + sorted(others)


def pre_issue_state(loader: MigrationLoader) -> StateApps:
    """The historical models of a pre-issue database."""
    nodes = [(app, name) for app, name in pre_issue_targets(loader) if name]
    return loader.project_state(nodes).apps


def migrate_to_pre_issue(connection: BaseDatabaseWrapper) -> StateApps:
    """Unapply every migration of the issue; return the historical models of that schema."""
    executor = MigrationExecutor(connection)
    executor.migrate(pre_issue_targets(executor.loader))
    return pre_issue_state(executor.loader)


def migrate_to_leaves(
    connection: BaseDatabaseWrapper, progress: Callable[..., Any] | None = None
) -> list[str]:
    """Apply every migration there is, as `beyondreach migrate` would; return their names."""
    executor = MigrationExecutor(connection, progress_callback=progress)
    leaves = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(leaves)
    executor.migrate(leaves)
    return [f"{m.app_label} {m.name}" for m, _ in plan]
