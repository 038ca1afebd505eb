"""The admin: cohorts are edited here; everything else is written by services and only viewed.

Content (topics, questions, versions, exams) is written by ``sync_content`` from ``content/``
and activity (attempts, responses, review cards) by the student services, so their admin pages
are read-only: an edit here would be overwritten by the next sync or contradict a grade.
"""

from django.contrib import admin
from django.db.models import Count

from .models import (
    Cohort,
    Exam,
    ExamAttempt,
    PracticeSession,
    Question,
    QuestionVersion,
    Response,
    ReviewCard,
    Topic,
)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "created_by", "created_at"]
    search_fields = ["name", "members__username"]
    filter_horizontal = ["members"]
    readonly_fields = ["created_by", "created_at"]
    fields = ["name", "description", "members", "created_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members", distinct=True))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, cohort: Cohort) -> int:
        return cohort.member_count

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: rows are written by services (sync, attempts, answers), never by hand."""

    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "order"]
    search_fields = ["title", "slug"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["qid", "topic", "difficulty", "is_parameterised", "current_version", "retired_at"]
    list_filter = ["topic", "difficulty", "is_parameterised"]
    list_select_related = ["topic", "current_version"]
    search_fields = ["qid", "source_path"]


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    list_display = ["question", "number", "content_hash", "created_at"]
    list_select_related = ["question"]
    search_fields = ["question__qid"]


@admin.register(Exam)
class ExamAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "time_limit_minutes", "pass_mark", "question_count", "retired_at"]
    search_fields = ["title", "slug"]


@admin.register(ExamAttempt)
class ExamAttemptAdmin(ReadOnlyAdmin):
    list_display = ["exam", "user", "started_at", "finished_at", "score", "total", "passed", "timed_out"]
    list_filter = ["exam", "passed", "timed_out"]
    list_select_related = ["exam", "user"]
    search_fields = ["user__username"]
    date_hierarchy = "started_at"


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["question", "user", "mode", "is_correct", "is_first_attempt", "shown_at", "answered_at"]
    list_filter = ["mode", "is_correct", "is_first_attempt"]
    list_select_related = ["question", "user"]
    search_fields = ["user__username", "question__qid"]
    date_hierarchy = "shown_at"


@admin.register(PracticeSession)
class PracticeSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "difficulty", "started_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = ["question", "user", "due", "reviews", "last_rating"]
    list_select_related = ["question", "user"]
    search_fields = ["user__username", "question__qid"]


# Exam rules and regrades (instructor data: kept by sync_content).
from .models import Accommodation, ExamRules, ExamWindow, Regrade  # noqa: E402


@admin.register(ExamRules)
class ExamRulesAdmin(admin.ModelAdmin):
    list_display = ["exam", "max_attempts", "one_way", "updated_by", "updated_at"]
    list_select_related = ["exam", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExamWindow)
class ExamWindowAdmin(admin.ModelAdmin):
    list_display = ["exam", "cohort", "opens_at", "closes_at"]
    list_filter = ["exam", "cohort"]
    list_select_related = ["exam", "cohort"]


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin):
    list_display = ["user", "exam", "time_multiplier", "extra_minutes", "note"]
    list_select_related = ["user", "exam"]
    search_fields = ["user__username", "note"]
    autocomplete_fields = ["user"]


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    """Read-only: a regrade must go through the service (it rescores every answer); undo it on its item page."""

    list_display = ["version", "kind", "created_by", "created_at", "affected_attempts", "undone_at"]
    list_filter = ["kind"]
    list_select_related = ["version__question", "created_by"]
    search_fields = ["version__question__qid"]
from .lti import admin as lti_admin  # noqa: E402, F401 (LTI platforms, grades, courses)
