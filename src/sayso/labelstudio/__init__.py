"""Label Studio: the generated labeling config, lossless conversion, push and pull.

Contributors annotate in Label Studio; ``sayso labelstudio push`` sends documents (optionally
with pre-annotations), ``sayso labelstudio pull`` brings every annotation back as a validated
schema v1 document. See ``annotation/CONTRIBUTING.md`` for the workflow and
:mod:`sayso.labelstudio._config` for how the layers map onto Label Studio's controls.
"""

from ._config import render_config
from ._convert import LS_CODES, document_to_result, document_to_task_data
from ._read import annotation_to_document
from ._sync import Pulled, PushReport, ensure_project, pull_annotations, push_documents, validate_predictions
from .client import Client, LabelStudioError

__all__ = [
    "render_config",
    "LS_CODES",
    "annotation_to_document",
    "document_to_result",
    "document_to_task_data",
    "Pulled",
    "PushReport",
    "ensure_project",
    "pull_annotations",
    "push_documents",
    "validate_predictions",
    "Client",
    "LabelStudioError",
]
