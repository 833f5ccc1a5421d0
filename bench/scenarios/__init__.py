"""The scenarios of issue 7, one module each, found by :data:`SCENARIOS`.

Every public module of this package (a name without a leading underscore) is imported here,
and each registers its scenario with :func:`bench.scenarios._base.scenario`; adding a
scenario is adding one module. Shared pieces live in ``_base`` (plan, context, targets,
registry) and ``_concurrent`` (batches run at once).
"""

from __future__ import annotations

import importlib
import pkgutil

from bench.scenarios._base import Context, Plan, Scenario, Target, registered

__all__ = ["SCENARIOS", "Context", "Plan", "Scenario", "Target"]

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

#: Every scenario by its ``--only`` name, in running order.
SCENARIOS: dict[str, Scenario] = registered()
