"""The law as data and the engines that read it. Pure Python: no Django here."""

from oversight.rules.events import Case, CaseError, Event, parse_case
from oversight.rules.profile import Profile, ProfileError, Rules, get_profile, load_profile
from oversight.rules.timeline import Timeline, compute

__all__ = [
    "Case",
    "CaseError",
    "Event",
    "Profile",
    "ProfileError",
    "Rules",
    "Timeline",
    "compute",
    "get_profile",
    "load_profile",
    "parse_case",
]
