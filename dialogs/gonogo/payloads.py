"""What a press on a go/no-go card carries: the typed button payloads and the cards' input names and bounds."""

from __future__ import annotations

from pydantic import Field

from commissioning.download_links import FileFormat
from commissioning.gonogo import MAX_FACTORS
from dialogs.base import Payload

TITLE_MAX = 200
SERVICE_MAX = 200
MAX_ASSESSORS = 15
"""Enough for a commissioning team and a board; keeps every result card inside Teams' 28 KB."""
INVITE_CHOICES_MAX = 100
RATING_PREFIX, RATIONALE_PREFIX = "r_", "why_"  # a factor's inputs are these prefixes + its key


class StartEvaluation(Payload):
    contract_id: int | None = Field(default=None, ge=1)


class EvaluationRef(Payload):
    evaluation_id: int = Field(ge=1)


class ScoreFrom(EvaluationRef):
    start: int = Field(default=0, ge=0, le=MAX_FACTORS)  # the first factor on the card, from 0


class SaveScores(ScoreFrom):
    go_to: int | None = Field(default=None, ge=0, le=MAX_FACTORS)  # the card to show after saving


class FactorView(EvaluationRef):
    index: int = Field(default=0, ge=0, le=MAX_FACTORS)


class DownloadRef(EvaluationRef):
    file_format: FileFormat = "xlsx"
