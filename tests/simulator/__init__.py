"""A simulated XiVO xuc CTI server, to test the integration against a real socket.

It is an independent implementation of the server side of the protocol (it
imports nothing from ``custom_components``), so client bugs are not hidden by
shared code. See ``server.py`` for the choices made where the reference is
silent, and ``profile.py`` for playing an ideal or a real-world server.
"""

from __future__ import annotations

from .agents import AGENT_STATE_COMMANDS, add_agents, make_agent
from .data import (
    ALICE_PASSWORD,
    BOB_PASSWORD,
    HEADERS_EN,
    HEADERS_FR,
    HEADERS_FR_FACTORY,
    SimAgent,
    SimCall,
    SimContact,
    SimData,
    SimQueue,
    SimStatus,
    SimUser,
    default_data,
    default_preferences,
    seed_statuses,
)
from .profile import IDEAL, PROFILES, REAL, ServerProfile
from .server import CommandError, SimSession, XucSimulator

__all__ = [
    "AGENT_STATE_COMMANDS",
    "ALICE_PASSWORD",
    "BOB_PASSWORD",
    "HEADERS_EN",
    "HEADERS_FR",
    "HEADERS_FR_FACTORY",
    "IDEAL",
    "PROFILES",
    "REAL",
    "CommandError",
    "ServerProfile",
    "SimAgent",
    "SimCall",
    "SimContact",
    "SimData",
    "SimQueue",
    "SimSession",
    "SimStatus",
    "SimUser",
    "XucSimulator",
    "add_agents",
    "default_data",
    "default_preferences",
    "make_agent",
    "seed_statuses",
]
