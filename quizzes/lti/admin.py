"""Admin for LTI: platforms (django-lti's registrations, here with the tool's URLs shown), grades, courses."""

from django.contrib import admin
from lti_tool.admin import LtiDeploymentInline, LtiRegistrationAdmin
from lti_tool.models import LtiRegistration

from .models import LtiCourse, LtiGradePost
from .registration import ensure_tool_key
from .tool import forget_platform_keys


class ActiveDeploymentInline(LtiDeploymentInline):
    """Deployments typed here are accepted at once (django-lti's default is off)."""

    fields = ["deployment_id", "is_active"]
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["is_active"].initial = True
        return formset


admin.site.unregister(LtiRegistration)


@admin.register(LtiRegistration)
class PlatformAdmin(LtiRegistrationAdmin):
    """An LMS: the values the LMS shows when the tool is added (as ``register_lti_platform``)."""

    inlines = [ActiveDeploymentInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ensure_tool_key()
        forget_platform_keys()


@admin.register(LtiGradePost)
class LtiGradePostAdmin(admin.ModelAdmin):
    list_display = ["attempt", "score_given", "score_maximum", "status", "tries", "next_try_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in LtiGradePost._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(LtiCourse)
class LtiCourseAdmin(admin.ModelAdmin):
    list_display = ["context", "cohort", "roster_synced_at"]
    readonly_fields = ["context", "cohort", "roster_synced_at", "roster_sync_note"]
