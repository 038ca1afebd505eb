"""Fetch LMS course rosters (LTI Names and Roles) into their cohorts."""

from django.core.management.base import BaseCommand, CommandError

from quizzes.lti.models import LtiCourse
from quizzes.lti.roster import sync_roster


class Command(BaseCommand):
    help = "Sync the roster of one LTI course (--course ID) or of every course (--all) into its cohort."

    def add_arguments(self, parser):
        parser.add_argument("--course", type=int, help="the LTI course id (see /lti/courses/)")
        parser.add_argument("--all", action="store_true", help="every course with a roster service")

    def handle(self, *args, **options):
        if options["course"] is None and not options["all"]:
            raise CommandError("give --course ID or --all")
        courses = LtiCourse.objects.select_related("context__deployment__registration", "cohort")
        if options["course"] is not None:
            courses = courses.filter(pk=options["course"])
            if not courses.exists():
                raise CommandError(f"no LTI course {options['course']}")
        failed = 0
        for course in courses:
            outcome = sync_roster(course)
            failed += not outcome.ok
            self.stdout.write(f"{course}: {outcome.message}")
        if failed:
            raise CommandError(f"{failed} course(s) could not be synced")
