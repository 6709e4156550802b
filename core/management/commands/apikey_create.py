from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.api.keys import ALL_SCOPES, ApiKeyError, api_key_create
from core.models import Team


class Command(BaseCommand):
    help = "Create an API key for the shop's systems and print it once (admins can also "
    "create keys on the Integrations page)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--scope", action="append", dest="scopes", choices=ALL_SCOPES,
            help="Allow this (repeat it); default: every scope.",
        )  # fmt: skip
        parser.add_argument("--team", action="append", dest="teams", help="A team's slug.")

    def handle(self, *args, name: str, scopes=None, teams=None, **options) -> None:
        team_rows = list(Team.objects.filter(slug__in=teams or []))
        if teams and len(team_rows) != len(set(teams)):
            raise CommandError("Unknown team slug.")
        try:
            _, key = api_key_create(name=name, scopes=scopes, teams=team_rows)
        except ApiKeyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(key)
