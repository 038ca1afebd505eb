"""The author preview: any content file rendered from disk as a student would see it."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..roles import author_required
from ..selectors import preview


def _seed_count(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("seeds", preview.PREVIEW_SEEDS))
    except ValueError:
        return preview.PREVIEW_SEEDS


@author_required
def preview_index(request: HttpRequest) -> HttpResponse:
    """List every question and exam file, with the bank's parse problems."""
    entries, errors, bank = preview.preview_index(Path(settings.CONTENT_DIR))
    topics = {topic.slug: topic.title for topic in bank.topics}
    return render(request, "quizzes/author/preview_index.html",
                  {"entries": entries, "errors": errors, "topics": topics})


@author_required
def preview_file(request: HttpRequest, relpath: str) -> HttpResponse:
    """Render one file: a question for several seeds (answers marked), or an exam's plan."""
    root = Path(settings.CONTENT_DIR)
    if relpath.startswith("exams/"):
        found = preview.preview_exam_errors(root, relpath)
        if found is None:
            raise Http404("No such content file.")
        exam, errors = found
        return render(request, "quizzes/author/preview_exam.html",
                      {"relpath": relpath, "exam": exam, "errors": errors})
    result = preview.preview_question(root, relpath, seeds=_seed_count(request))
    if result is None:
        raise Http404("No such content file.")
    return render(request, "quizzes/author/preview_question.html",
                  {"preview": result, "more_seeds": min(len(result.variants) + 3, preview.MAX_PREVIEW_SEEDS)})
