"""``babelwire eval``: each task reads the shared JSONL format of its data and prints metrics.

Numbers are computed exactly as the reference scorers define them (the tests
check equality on the same predictions). Predictions come from the text alone,
never from a gold field of the file being scored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EvaluationError, NotImplementedTask
from ..settings import Settings

TaskRunner = Callable[..., dict[str, Any]]

PENDING_TASKS: dict[str, str] = {}
TASKS = ("langid", "extraction", "similarity", "entity-links", "ner", "quotes", "stories",
         *PENDING_TASKS)


def run_task(
    task: str, files: list[Path], *, settings: Settings, predictions: Path | None = None,
    reference: bool = False, scorer: str = "evidence", ner_model: Path | None = None,
    train: list[Path] | None = None, leave_one_out: bool = False, ner: bool = False,
    nested: bool = True, story_model: Path | None = None,
) -> dict[str, Any]:
    """Run evaluation ``task`` over ``files``; write predictions if a path is given.

    ``reference``: extraction also scores plain trafilatura; similarity adds the
    ablation (each feature's contribution, the whole-text cosine baseline included).
    ``scorer`` picks the similarity scorer (``evidence`` or ``cosine``). NER takes
    a head (``ner_model``) or trains one per left-out language from ``train``.
    Quotes run the NER stage first when ``ner`` is set; ``nested=False`` keeps only
    outermost quotes. Stories take a clusterer model (``story_model``; default: the
    shipped one).
    """
    if task in PENDING_TASKS:
        raise NotImplementedTask(
            f"evaluation task {task!r} is not implemented yet: it lands with"
            f" {PENDING_TASKS[task]}; implemented now: langid, extraction, similarity,"
            " entity-links, ner, quotes")
    if task == "ner":
        from .ner import evaluate_ner

        return evaluate_ner(files, predictions=predictions, model=ner_model, train=train,
                            leave_one_language_out=leave_one_out)
    if task == "quotes":
        from .quotes import evaluate_quotes

        return evaluate_quotes(files, predictions=predictions, ner=ner, nested=nested)
    if task == "stories":
        from ..assembly import cache_dir
        from .stories import evaluate_stories

        return evaluate_stories(files, predictions=predictions, model_path=story_model,
                                cache_dir=cache_dir())
    if task == "langid":
        from .langid import evaluate_langid

        return evaluate_langid(files, predictions=predictions)
    if task == "similarity":
        from .similarity import evaluate_similarity

        return evaluate_similarity(files, predictions=predictions, scorer=scorer,
                                   ablation=reference)
    if task == "entity-links":
        from .entity_links import evaluate_entity_links

        return evaluate_entity_links(files, predictions=predictions)
    if task == "extraction":
        from .extraction import evaluate_extraction

        return evaluate_extraction(files, settings=settings, predictions=predictions,
                                   reference=reference)
    raise EvaluationError(f"unknown evaluation task {task!r}; tasks: {', '.join(TASKS)}")
