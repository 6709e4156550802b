from __future__ import annotations

from django.core.management.base import BaseCommand

from core.api.keys import api_key_create


class Command(BaseCommand):
    help = "Create an API key for the shop's systems and print it once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")

    def handle(self, *args, name: str, **options) -> None:
        _, key = api_key_create(name=name)
        self.stdout.write(key)
