"""Demo data that looks like a real shop: 90 days of after-sales care in English, German
and Turkish, loaded by ``manage.py seed_demo`` on local setups only.

``build.demo_history_load`` plans everything in memory from one seeded random generator
(the same content on every run) and writes it with bulk inserts, keeping each row what
the services would have written at that moment: timestamps, audit events, survey
states, ledger entries and balances."""
