"""Demo data that looks like a real shop: 90 days of after-sales care in English, German
and Turkish, loaded by ``manage.py seed_demo`` on local setups only.

``build.demo_history_load`` plans everything in memory from seeded random generators, on
a calendar of its own (the same shop whenever it is loaded; only the dates follow the
real calendar), and writes it with bulk inserts, each row what the services would have
written at that moment: timestamps, audit events, survey states, ledger entries and
balances, with the beat sweeps caught up where the history ends."""
