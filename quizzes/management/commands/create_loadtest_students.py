"""Create N students for the load test (``make loadtest``), all with one known password.

Why: the load test signs real students in and must not touch real accounts. The accounts are
named ``<prefix><n>``; running it again keeps existing ones (and resets their password). Like
the demo accounts, it refuses to run where ``DEMO_ACCOUNTS_ALLOWED`` is false (production).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PREFIX = "loadtest-"
DEFAULT_PASSWORD = "loadtest-pass-2026"
REFUSED = "Load-test students are for development and benchmark settings only (DEMO_ACCOUNTS_ALLOWED is false)."


class Command(BaseCommand):
    help = "Create (or reset) N load-test students <prefix>1..N with one password."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument("--prefix", default=DEFAULT_PREFIX)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError(REFUSED)
        count, prefix = options["count"], options["prefix"]
        if count < 1:
            raise CommandError("--count must be at least 1")
        users = get_user_model()
        password = make_password(options["password"])  # hashed once: one hash serves every account
        names = [f"{prefix}{n}" for n in range(1, count + 1)]
        existing = set(users.objects.filter(username__in=names).values_list("username", flat=True))
        users.objects.bulk_create([users(username=name, password=password) for name in names if name not in existing])
        users.objects.filter(username__in=existing).update(password=password)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} load-test students {names[0]}..{names[-1]} "
                              f"({count - len(existing)} new), password {options['password']}")
