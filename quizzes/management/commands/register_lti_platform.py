"""Register an LMS (LTI 1.3 platform) so its launches are accepted.

The values come from the LMS when the tool is added there (see the README, "LTI 1.3").
Running it again for the same issuer and client id updates the URLs and adds deployments.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from quizzes.lti.registration import register_platform


class Command(BaseCommand):
    help = "Register an LTI 1.3 platform (issuer, client id, its URLs and deployment ids)."

    def add_arguments(self, parser):
        parser.add_argument("--issuer", required=True, help="the platform's issuer, e.g. https://moodle.example.edu")
        parser.add_argument("--client-id", required=True, help="the client id the platform gave this tool")
        parser.add_argument("--auth-url", required=True, help="the platform's OIDC authentication URL")
        parser.add_argument("--token-url", required=True, help="the platform's OAuth2 access token URL")
        parser.add_argument("--keyset-url", required=True, help="the platform's public keyset (JWKS) URL")
        parser.add_argument("--deployment-id", action="append", default=[], required=True,
                            help="a deployment id (repeat for several)")
        parser.add_argument("--name", default="", help="a display name (default: issuer and client id)")
        parser.add_argument("--audience", default="", help="the token audience, if not the token URL")

    def handle(self, *args, **options):
        try:
            registration, created = register_platform(
                issuer=options["issuer"], client_id=options["client_id"], auth_url=options["auth_url"],
                token_url=options["token_url"], keyset_url=options["keyset_url"],
                deployment_ids=options["deployment_id"], name=options["name"], audience=options["audience"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Registered" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {registration.name} with deployment(s) {', '.join(options['deployment_id'])}."))
        if options["verbosity"] > 1:
            for label, name in (("login", "lti_login"), ("launch", "lti_launch"), ("keys", "lti_jwks")):
                self.stdout.write(f"  tool {label} URL: https://<this site>{reverse(name)}")
