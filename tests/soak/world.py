"""The server side of the soak: its data set, and the changes another client makes.

Every change goes through the simulator's hooks, so it lands in ``sim.data`` and is
pushed to alice's open sessions exactly as xuc would push it (or to nobody while the
link is down, as on a real server). Hooks are used, never frames: the simulator's
``received`` record then holds only what the integration sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.simulator import (
    SimContact,
    SimData,
    SimUser,
    XucSimulator,
    add_agents,
    default_data,
    make_agent,
)
from tests.simulator.data import SimQueue

from .plan import Action

LOGIN = "alice"
OWN_NUMBER = "1000"

STATUS_NAMES = (
    "available",
    "away",
    "outtolunch",
    "donotdisturb",
    "berightback",
    "disconnected",
)
DEVICE_VALUES = ("TypePhoneDevice", "TypeDefaultDevice")
FORWARD_PREFIXES = ("unc", "na", "busy")
DESTINATIONS = ("2001", "0612345678", "1002", "+33427466347", "*98")
HINT_CODES = (0, 1, 2, 4, 8, 9, 16, -1, -2)
CALLERS = ("0427466347", "1002", "0699887766", "1004", "")
MAX_CALLS = 3

AGENT_ID = 12
COLLEAGUES = (100, 101, 102)
QUEUE_IDS = (1, 2, 3)  # Blue Sky and Support, where alice starts; Sales, where not
MAX_WAITING = 4
AGENT_STATES = (
    "AgentReady",
    "AgentOnPause",
    "AgentOnWrapup",
    "AgentOnCall",
    "AgentRinging",
    "AgentLoggedOut",
    "AgentLogin",
    "AgentDialing",
)
PAUSE_CAUSES = ("outtolunch", "away", None)
"""A pause reason (the seed's one), a status that is none, and no cause at all."""
MONITOR_STATES = ("ACTIVE", "PAUSED", "DISABLED")


def soak_data() -> SimData:
    """The default data set with more contacts, so favorites come and go a lot.

    Contacts 50..55 share no number with the default ones, and two have no number of
    their own in the hint table (they stay at the unknown hint until one is set).
    """
    data = default_data()
    data.directory.extend(
        SimContact(str(50 + index), source, first, last, number)
        for index, (source, first, last, number) in enumerate(
            [
                ("internal", "Charlie", "Dupont", "1010"),
                ("internal", "Diane", "Moreau", "1011"),
                ("phonebook", "Éric", "Lambert", "0478000001"),
                ("phonebook", "Fanny", "Girard", "0478000002"),
                ("personal", "Gaston", "Roux", "1012"),
                ("personal", "Hélène", "Faure", "0600000003"),
            ]
        )
    )
    data.phone_states.update({"1010": 0, "1011": 4, "1012": 8})
    # Alice is a recorded queue agent in two queues; a third has colleagues only.
    make_agent(
        data,
        LOGIN,
        agent_id=AGENT_ID,
        queues={1: 0, 2: 1},
        state="AgentReady",
        monitor_state="ACTIVE",
    )
    data.queues.append(SimQueue(3, "sales", "Sales", "3002"))
    add_agents(data, len(COLLEAGUES), first_id=COLLEAGUES[0], queue_id=3)
    return data


def _index(value: float, size: int) -> int:
    return min(int(value * size), size - 1)


@dataclass
class CallBook:
    """What the soak knows of incoming calls, to bound the missed-calls counter.

    ``missed_upper`` counts every incoming call released unanswered; ``missed_clean``
    those that rang and ended within one steady period (no fault since the last passed
    check), which the integration must all have seen.
    """

    missed_upper: int = 0
    missed_clean: int = 0
    rung: dict[str, bool] = field(default_factory=dict)
    """linkedId -> rang while steady; answered calls are dropped from it."""


class ServerSide:
    """Another client's changes on alice's account, chosen by an action's draws."""

    def __init__(self, sim: XucSimulator) -> None:
        """Act on ``sim``; ``steady`` is set by the driver between faults."""
        self.sim = sim
        self.calls = CallBook()
        self.steady = False

    @property
    def user(self) -> SimUser:
        """Alice, as the server holds her."""
        user = self.sim.data.user(LOGIN)
        assert user is not None
        return user

    async def run(self, action: Action) -> None:
        """Apply one server-side change."""
        sim, a, b = self.sim, action.a, action.b
        match action.kind:
            case "srv_status":
                await sim.set_user_status(LOGIN, STATUS_NAMES[_index(a, 6)])
            case "srv_device":
                value = DEVICE_VALUES[_index(a, 2)]
                await sim.set_preference(LOGIN, "PREFERRED_DEVICE", value, "String")
            case "srv_mobile":
                value = "true" if a < 0.5 else "false"
                await sim.set_preference(LOGIN, "MOBILE_APP_INFO", value, "Boolean")
            case "srv_dnd":
                await sim.update_user_config(LOGIN, dndEnabled=a < 0.5)
            case "srv_forward":
                await self._forward(a, b, action.c)
            case "srv_favorite":
                await self._favorite(a)
            case "srv_hint":
                numbers = [c.number for c in sim.data.directory if c.number]
                number = numbers[_index(a, len(numbers))]
                if number != OWN_NUMBER:  # the own line's hint follows its calls
                    await sim.set_phone_state(number, HINT_CODES[_index(b, 9)])
            case "srv_voicemail":
                await sim.set_voicemail(LOGIN, _index(a, 5), _index(b, 10))
            case "srv_call":
                await self._call(a, b)
            case "srv_agent":
                await self._agent(a, b, action.c)
            case "srv_queue":
                await self._queue(a, b, action.c)
            case _:
                raise AssertionError(action.kind)

    async def _forward(self, a: float, b: float, c: float) -> None:
        prefix = FORWARD_PREFIXES[_index(a, 3)]
        destination = DESTINATIONS[_index(c, len(DESTINATIONS))]
        if b < 0.4:
            enabled = True
        elif b < 0.8:
            enabled = False
        else:
            enabled, destination = False, ""
        await self.sim.update_user_config(
            LOGIN,
            **{f"{prefix}FwdEnabled": enabled, f"{prefix}FwdDestination": destination},
        )

    async def _favorite(self, a: float) -> None:
        directory = self.sim.data.directory
        contact = directory[_index(a, len(directory))]
        key = (contact.contact_id, contact.source)
        if key in self.user.favorites:
            await self.sim.remove_favorite(LOGIN, *key)
        else:
            await self.sim.add_favorite(LOGIN, *key)

    async def _call(self, a: float, b: float) -> None:
        """Ring, answer, hold, transfer or hang up one of alice's calls."""
        sim, book = self.sim, self.calls
        calls = sim.current_calls(LOGIN)
        if a < 0.3 or not calls:
            if len(calls) >= MAX_CALLS:
                a = 0.9  # a full line: hang one up instead
            else:
                caller = CALLERS[_index(b, len(CALLERS))] or "0611000000"
                await sim.incoming_call(LOGIN, caller)
                linked = sim.current_calls(LOGIN)[-1]["linkedId"]
                book.rung[linked] = self.steady
                return
        call = calls[_index(b, len(calls))]
        unique, linked, event = call["uniqueId"], call["linkedId"], call["eventType"]
        if a < 0.55:
            if event in ("EventRinging", "EventDialing"):
                await sim.answer_call(LOGIN, unique)
                book.rung.pop(linked, None)
        elif a < 0.65:
            if event == "EventEstablished":
                await sim.hold_call(LOGIN, unique)
        elif a < 0.75:
            if event in ("EventEstablished", "EventOnHold"):
                await sim.transfer_call(LOGIN, unique, CALLERS[_index(b, 4)])
        else:
            await sim.hang_up(LOGIN, unique)
            if linked in book.rung:
                clean = book.rung.pop(linked) and self.steady
                book.missed_upper += 1
                book.missed_clean += clean

    async def _agent(self, a: float, b: float, c: float) -> None:
        """Alice's agent state (a call, a supervisor), a colleague's, or recording."""
        sim = self.sim
        if a < 0.6:
            state = AGENT_STATES[_index(b, len(AGENT_STATES))]
            cause = PAUSE_CAUSES[_index(c, len(PAUSE_CAUSES))]
            await sim.set_agent_state(
                AGENT_ID, state, phone_number=OWN_NUMBER, cause=cause
            )
        elif a < 0.8:
            colleague = COLLEAGUES[_index(b, len(COLLEAGUES))]
            state = AGENT_STATES[_index(c, len(AGENT_STATES))]
            await sim.set_agent_state(colleague, state, phone_number=f"6{colleague}")
        else:
            monitor = MONITOR_STATES[_index(b, len(MONITOR_STATES))]
            await sim.set_monitor_state(AGENT_ID, monitor)

    async def _queue(self, a: float, b: float, c: float) -> None:
        """A caller comes or goes in a queue, or alice's membership changes."""
        sim = self.sim
        queue_id = QUEUE_IDS[_index(b, len(QUEUE_IDS))]
        queue = sim.data.queue(queue_id)
        assert queue is not None
        if a < 0.45:
            if len(queue.waiting) < MAX_WAITING:
                await sim.add_caller(queue_id, waited=c * 30)
        elif a < 0.8:
            if queue.waiting:
                await sim.remove_caller(queue_id, abandoned=c < 0.3)
        elif (AGENT_ID, queue_id) in sim.data.memberships:
            await sim.set_membership(AGENT_ID, queue_id, -1)
        else:
            await sim.set_membership(AGENT_ID, queue_id, _index(c, 3))

    def unsteady(self) -> None:
        """A fault starts: calls ringing now no longer count as surely seen."""
        self.steady = False
        for linked in self.calls.rung:
            self.calls.rung[linked] = False
