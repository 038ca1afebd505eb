"""Create the demo accounts, so that a new developer can log in as each role at once."""

from django.core.management.base import BaseCommand, CommandError

from quizzes.services.accounts import demo_accounts_ensure


class Command(BaseCommand):
    help = (
        "Create or reset the demo accounts student, author and admin "
        "(development only) and print their passwords."
    )

    def handle(self, *args, **options):
        try:
            accounts = demo_accounts_ensure()
        except PermissionError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write("Demo accounts (development only):")
            for account in accounts:
                self.stdout.write(f"  {account.username:<8} password: {account.password:<18} {account.role}")
