"""What-if scenarios: changes to a base instance, re-solved with minimal change, compared,
and run many at once as studies on Dask.

:func:`read_scenario` reads a YAML file (docs/scenarios.md); :func:`apply_scenario` gives the
changed instance.
"""

from scheduler.scenarios.apply import Applied, Touched, apply_scenario
from scheduler.scenarios.changes import Change, Scenario
from scheduler.scenarios.reader import KINDS, parse_scenario, read_scenario, read_sweep

__all__ = ["KINDS", "Applied", "Change", "Scenario", "Touched", "apply_scenario",
           "parse_scenario", "read_scenario", "read_sweep"]
