"""Offline Telegram Bot API emulator with simulated users, fault injection and a browser chat page."""

from .clock import Clock
from .emulator import DEFAULT_LANGUAGES, DEFAULT_TOKEN, Emulator
from .errors import ApiError, EmulatorError, UnknownButtonError, UnknownMessageError, UnknownUserError
from .faults import Fault, FaultPlan
from .groups import ForumTopic, SimGroup, SimulatedGroup
from .models import CallbackAnswer, CallbackQuery, Location, RecordedRequest, ReplyKeyboard, SimUser, StoredMessage
from .user import SimulatedUser

__all__ = [
    "DEFAULT_LANGUAGES",
    "DEFAULT_TOKEN",
    "ApiError",
    "CallbackAnswer",
    "CallbackQuery",
    "Clock",
    "Emulator",
    "EmulatorError",
    "Fault",
    "FaultPlan",
    "ForumTopic",
    "Location",
    "RecordedRequest",
    "ReplyKeyboard",
    "SimGroup",
    "SimUser",
    "SimulatedGroup",
    "SimulatedUser",
    "StoredMessage",
    "UnknownButtonError",
    "UnknownMessageError",
    "UnknownUserError",
]
