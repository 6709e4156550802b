from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from loyalty.selectors import ledger_mismatches


class Command(BaseCommand):
    help = "Prove every account's cached balances equal the sums of its ledger entries."

    def handle(self, *args, **options) -> None:
        mismatches = ledger_mismatches()
        for m in mismatches:
            self.stderr.write(
                f"account {m.account_id}: balance {m.cached_balance} != ledger {m.ledger_balance}, "
                f"pending {m.cached_pending} != ledger {m.ledger_pending}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} account(s) do not reconcile.")
        self.stdout.write("All loyalty accounts reconcile.")
