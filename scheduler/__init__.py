"""Course scheduling and faculty timetabling for the CQUPT–FEFU Joint Institute (CP-SAT)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cqupt-fefu-scheduler")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"
