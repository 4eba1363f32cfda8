"""The assistant: plain language in, a plan of changes (or an answer) out.

`RulePlanner` reads a `Request` against the `Team` into a `Reading`: a `Change`
(actions to preview and confirm), an `Ask` (a question to answer now) or an
`Unclear` (what was got and how to say it). It is pure: the use cases of
`rota.service.assistant` give it the team and run what it plans.
"""

from rota.assistant.plan import (
    ACTIONS,
    Action,
    AddTimeOff,
    Agenda,
    Appointment,
    Ask,
    CancelBooking,
    Change,
    CreateMeeting,
    FindATime,
    HowIsTheDistribution,
    Kind,
    Person,
    Planner,
    Question,
    Reading,
    ReassignBooking,
    ReassignHostBookings,
    Request,
    RescheduleBooking,
    Team,
    Unclear,
    WhoIsFree,
    action_json,
    action_of,
)
from rota.assistant.rules import RulePlanner

__all__ = [
    "ACTIONS",
    "Action",
    "AddTimeOff",
    "Agenda",
    "Appointment",
    "Ask",
    "CancelBooking",
    "Change",
    "CreateMeeting",
    "FindATime",
    "HowIsTheDistribution",
    "Kind",
    "Person",
    "Planner",
    "Question",
    "Reading",
    "ReassignBooking",
    "ReassignHostBookings",
    "Request",
    "RescheduleBooking",
    "RulePlanner",
    "Team",
    "Unclear",
    "WhoIsFree",
    "action_json",
    "action_of",
]
