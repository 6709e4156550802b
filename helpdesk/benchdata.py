# ruff: noqa: E501  (SQL statements read better unwrapped)
"""Benchmark data set: generated inside PostgreSQL with INSERT … SELECT over
generate_series, which beats COPY from Python because no row crosses the socket.

Ticket search vectors are computed in the same statement from precomputed vectors of the
(few) subject and body texts, so the search triggers can stay off during the load
(session_replication_role = replica also skips foreign-key triggers; the generator
writes consistent ids itself)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

TEAMS = ["Returns", "Repairs", "Delivery", "Billing", "Warranty", "Webshop", "Turkey", "VIP"]
CHANNELS = ["email"] * 6 + ["web", "portal", "chat", "chat", "sms", "whatsapp", "phone", "api"]
FIRST = ["Kim", "Anna", "Jürgen", "Ayşe", "Mehmet", "Lena", "Tom", "Elif", "Jonas", "Zeynep",
         "Paul", "Emre", "Sophie", "Can", "Mia", "Murat", "Lukas", "Deniz", "Emma", "Hakan"]  # fmt: skip
LAST = ["Schmidt", "Yılmaz", "Müller", "Kaya", "Weber", "Demir", "Fischer", "Şahin", "Meyer",
        "Çelik", "Wagner", "Öztürk", "Becker", "Arslan", "Hoffmann", "Doğan", "Koch", "Aydın"]  # fmt: skip
PRODUCTS = ["kettle", "toaster", "coffee machine", "blender", "vacuum cleaner", "hair dryer",
            "headphones", "smartwatch", "lamp", "air fryer", "mixer", "iron", "speaker",
            "router", "printer", "monitor", "keyboard", "phone case", "backpack", "jacket"]  # fmt: skip
SUBJECTS = {
    "en": ["My {p} arrived broken", "Where is my {p}?", "Refund for the {p}", "{p} stopped working",
           "Wrong colour {p} delivered", "How do I return the {p}?", "Warranty claim: {p}",
           "Invoice for my {p} order", "Exchange the {p} for a bigger size", "Missing parts: {p}"],
    "de": ["Mein {p} kam beschädigt an", "Wo bleibt mein {p}?", "Erstattung für den {p}",
           "{p} funktioniert nicht mehr", "Falsche Farbe geliefert: {p}", "Rücksendung {p}",
           "Garantiefall: {p}", "Rechnung für die Bestellung {p}", "Umtausch {p}", "Teile fehlen: {p}"],
    "tr": ["{p} kırık geldi", "{p} siparişim nerede?", "{p} için iade", "{p} çalışmıyor",
           "Yanlış renk {p} gönderildi", "{p} nasıl iade edilir?", "Garanti talebi: {p}",
           "{p} siparişinin faturası", "{p} değişimi", "{p} parçaları eksik"],
}  # fmt: skip
BODIES = {
    "en": ["Hello, the {p} I ordered last week arrived with a cracked lid. Can you send a new one?",
           "Thanks for getting back to me. I have attached photos of the damage to the {p}.",
           "We are sorry to hear that. We have arranged a replacement {p}; it ships tomorrow.",
           "The tracking number for my {p} has not moved for five days. Is the parcel lost?",
           "I would like a refund rather than a replacement for the {p}, please.",
           "Your refund for the {p} has been issued and should arrive within a few days."],
    "de": ["Hallo, der {p}, den ich letzte Woche bestellt habe, kam mit einem Sprung an.",
           "Danke für die schnelle Antwort. Im Anhang finden Sie Fotos vom {p}.",
           "Das tut uns leid. Wir schicken Ihnen morgen einen neuen {p}.",
           "Die Sendungsverfolgung für meinen {p} zeigt seit fünf Tagen nichts Neues.",
           "Ich möchte für den {p} lieber eine Erstattung als einen Ersatz.",
           "Die Erstattung für Ihren {p} ist veranlasst und in wenigen Tagen auf Ihrem Konto."],
    "tr": ["Merhaba, geçen hafta sipariş ettiğim {p} çatlak geldi. Yenisini gönderebilir misiniz?",
           "Hızlı cevap için teşekkürler. {p} hasarının fotoğraflarını ekledim.",
           "Bunu duyduğumuza üzüldük. Yeni {p} yarın kargoya verilecek.",
           "{p} siparişimin kargo takibi beş gündür değişmedi. Paket kayboldu mu?",
           "{p} için değişim yerine para iadesi istiyorum.",
           "{p} iadeniz yapıldı, birkaç gün içinde hesabınızda olacak."],
}  # fmt: skip
LANGS = ["en", "de", "tr"]
CONFIG = "helpdesk_ts_config"
MESSAGES_PER_TICKET = 3
DETAIL_MESSAGES = 50


def _texts(table: dict[str, list[str]]) -> list[tuple[int, str, str]]:
    rows = []
    for lang in LANGS:
        for template in table[lang]:
            for product in PRODUCTS:
                rows.append((len(rows), lang, template.format(p=product)))
    return rows


def generate(*, tickets: int, log: Callable[[str], None] = print) -> dict[str, int]:
    """Create teams, agents, customers with identities and orders, tickets with about
    three messages each over two years, and one ticket with 50 messages."""
    from core.models import AgentProfile, Team
    from core.staff import agent_create

    started = time.monotonic()
    teams = []
    for name in TEAMS:
        team, _ = Team.objects.get_or_create(
            slug=f"bench-{name.lower()}", defaults={"name": f"Bench {name}"}
        )
        teams.append(team)
    agents = []
    for n in range(24):
        username = f"bench-agent-{n}"
        profile = AgentProfile.objects.filter(user__username=username).first() or agent_create(
            username=username, email=f"{username}@shop.example", password=None,
            teams=[teams[n % len(teams)], teams[(n + 1) % len(teams)]], first_name=f"Agent{n}",
        )  # fmt: skip
        agents.append(profile.user_id)
    if not AgentProfile.objects.filter(user__username="bench-admin").exists():
        agent_create(username="bench-admin", email="bench-admin@shop.example", password=None,
                     role=AgentProfile.Role.ADMIN)  # fmt: skip
    customers = max(tickets // 4, 10)
    orders = max(tickets // 3, 10)
    subjects, bodies = _texts(SUBJECTS), _texts(BODIES)
    per_lang_s = len(subjects) // 3
    per_lang_b = len(bodies) // 3

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SELECT coalesce(max(id), 0) FROM customers_customer")
        c0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM tickets_ticket")
        t0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM customers_order")
        o0 = cur.fetchone()[0]

        cur.execute(
            "CREATE TEMP TABLE bench_subject (idx int PRIMARY KEY, lang text, body text, vec tsvector) ON COMMIT DROP"
        )
        cur.execute(
            "CREATE TEMP TABLE bench_body (idx int PRIMARY KEY, lang text, body text, vec tsvector) ON COMMIT DROP"
        )
        cur.executemany("INSERT INTO bench_subject VALUES (%s, %s, %s, setweight(to_tsvector(helpdesk_ts_config(%s), %s), 'A'))",
                        [(i, lang, text, lang, text) for i, lang, text in subjects])  # fmt: skip
        cur.executemany("INSERT INTO bench_body VALUES (%s, %s, %s, setweight(to_tsvector(helpdesk_ts_config(%s), %s), 'C'))",
                        [(i, lang, text, lang, text) for i, lang, text in bodies])  # fmt: skip

        log(f"customers: {customers}")
        cur.execute(
            """INSERT INTO customers_customer (id, first_name, last_name, language, external_ref,
                   created_at, updated_at)
               SELECT %(c0)s + i, (%(first)s::text[])[1 + i %% %(nf)s], (%(last)s::text[])[1 + (i * 7) %% %(nl)s],
                      (ARRAY['en','en','en','en','de','de','de','tr','tr','tr'])[1 + i %% 10], 'bench-' || (%(c0)s + i),
                      now() - interval '3 years', now()
               FROM generate_series(1, %(n)s) i""",
            {
                "c0": c0,
                "first": FIRST,
                "last": LAST,
                "nf": len(FIRST),
                "nl": len(LAST),
                "n": customers,
            },
        )
        cur.execute(
            """INSERT INTO customers_contactidentity (customer_id, kind, address, display_name, verified, created_at)
               SELECT %(c0)s + i, 'email', 'bench-' || (%(c0)s + i) || '@example.com', '', true, now()
               FROM generate_series(1, %(n)s) i""",
            {"c0": c0, "n": customers},
        )
        cur.execute("SELECT id FROM customers_product WHERE sku LIKE 'BENCH-%%' ORDER BY id")
        products = [r[0] for r in cur.fetchall()]
        if not products:
            cur.execute(
                """INSERT INTO customers_product (sku, name, warranty_months)
                   SELECT 'BENCH-' || i, (%(p)s::text[])[i], 24 FROM generate_series(1, %(n)s) i RETURNING id""",
                {"p": PRODUCTS, "n": len(PRODUCTS)},
            )
            products = [r[0] for r in cur.fetchall()]
        log(f"orders: {orders}")
        cur.execute(
            """INSERT INTO customers_order (id, customer_id, number, status, placed_at, delivered_at,
                   return_window_ends_at, warranty_ends_at, total_cents, currency)
               SELECT %(o0)s + i, %(c0)s + 1 + (i::bigint * 7919) %% %(nc)s, 'B' || (%(o0)s + i),
                      (ARRAY['placed','shipped','delivered','delivered','delivered','returned'])[1 + i %% 6],
                      p, p + interval '3 days', p + interval '33 days', p + interval '2 years',
                      1000 + (i * 37) %% 50000, 'EUR'
               FROM generate_series(1, %(n)s) i, LATERAL (SELECT now() - (i %% 730) * interval '1 day' AS p) x""",
            {"o0": o0, "c0": c0, "nc": customers, "n": orders},
        )
        cur.execute(
            """INSERT INTO customers_orderitem (order_id, product_id, quantity, unit_price_cents)
               SELECT %(o0)s + i, (%(p)s::int[])[1 + (i * 13) %% %(np)s], 1 + i %% 2, 1999
               FROM generate_series(1, %(n)s) i""",
            {"o0": o0, "p": products, "np": len(products), "n": orders},
        )

        log(f"tickets: {tickets}")
        cur.execute("DROP INDEX IF EXISTS ticket_search_gin")
        cur.execute(
            """INSERT INTO tickets_ticket (id, subject, status, priority, channel, customer_id, team_id,
                   assignee_id, created_at, updated_at, last_activity_at, first_response_at, solved_at,
                   closed_at, sla_due, sla_at_risk_at, search_vector)
               SELECT %(t0)s + g.i, s.body, g.status, g.priority, g.channel, g.customer_id, g.team_id,
                      g.assignee_id, g.created_at, g.last_at, g.last_at, g.created_at + interval '2 hours',
                      CASE WHEN g.status IN ('solved','closed') THEN g.last_at END,
                      CASE WHEN g.status = 'closed' THEN g.last_at END,
                      -- SLA: new and open tickets have a clock running, due from a day ago
                      -- to a week ahead (one in eight overdue); at risk ten hours before.
                      CASE WHEN g.status IN ('new','open') THEN now() + ((g.i * 7) %% 191 - 24) * interval '1 hour' END,
                      CASE WHEN g.status IN ('new','open') THEN now() + ((g.i * 7) %% 191 - 34) * interval '1 hour' END,
                      s.vec || setweight(to_tsvector('simple', c.first_name || ' ' || c.last_name), 'B')
                        || b1.vec || b2.vec || b3.vec
               FROM (
                 SELECT i, customer_id, lang_i,
                        (%(teams)s::int[])[1 + i %% %(nt)s] AS team_id,
                        CASE WHEN i %% 10 < 7 THEN (%(agents)s::int[])[1 + (i / 3) %% %(na)s] END AS assignee_id,
                        (%(channels)s::text[])[1 + (i * 31) %% %(nch)s] AS channel,
                        (ARRAY[1,2,2,2,2,3,3,4])[1 + (i * 17) %% 8] AS priority,
                        created_at, least(created_at + (i %% 97) * interval '1 hour', now()) AS last_at,
                        CASE WHEN created_at > now() - interval '30 days'
                             THEN (ARRAY['new','open','open','pending','on_hold','solved'])[1 + (i * 11) %% 6]
                             WHEN i %% 20 = 0 THEN 'solved' ELSE 'closed' END AS status
                 FROM (SELECT i, %(c0)s + 1 + (i::bigint * 104729) %% %(nc)s AS customer_id,
                              ((i::bigint * 104729) %% %(nc)s + 1) %% 10 AS lang_i,
                              now() - (%(n)s - i) * (interval '730 days' / %(n)s) AS created_at
                       FROM generate_series(1, %(n)s) i) raw
               ) g
               JOIN customers_customer c ON c.id = g.customer_id
               JOIN bench_subject s ON s.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(ps)s + (g.i * 7) %% %(ps)s
               JOIN bench_body b1 ON b1.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3) %% %(pb)s
               JOIN bench_body b2 ON b2.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3 + 1) %% %(pb)s
               JOIN bench_body b3 ON b3.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3 + 2) %% %(pb)s
            """,
            {"t0": t0, "c0": c0, "nc": customers, "n": tickets, "teams": [t.pk for t in teams],
             "nt": len(teams), "agents": agents, "na": len(agents), "channels": CHANNELS,
             "nch": len(CHANNELS), "ps": per_lang_s, "pb": per_lang_b},
        )  # fmt: skip
        log(f"messages: {tickets * MESSAGES_PER_TICKET}")
        cur.execute(
            """INSERT INTO tickets_message (ticket_id, direction, visibility, channel, author_id, sender_id,
                   body_text, body_html, external_id, body_original, automatic, flags, created_at)
               SELECT t.id, CASE WHEN k = 1 THEN 'out' ELSE 'in' END, 'public', t.channel,
                      CASE WHEN k = 1 THEN t.assignee_id END, NULL, b.body, '', '', '', false, '{}',
                      t.created_at + k * (t.last_activity_at - t.created_at) / 2
               FROM tickets_ticket t
               JOIN customers_customer c ON c.id = t.customer_id
               CROSS JOIN generate_series(0, 2) k
               JOIN bench_body b ON b.idx = (CASE WHEN c.language = 'en' THEN 0 WHEN c.language = 'de' THEN 1 ELSE 2 END) * %(pb)s
                                          + ((t.id - %(t0)s) * 3 + k) %% %(pb)s
               WHERE t.id > %(t0)s""",
            {"t0": t0, "pb": per_lang_b},
        )
        # The ticket-detail benchmark needs one long conversation in the bench agent's team.
        detail_id = t0 + 1
        cur.execute(
            """INSERT INTO tickets_message (ticket_id, direction, visibility, channel, author_id,
                   body_text, body_html, external_id, body_original, automatic, flags, created_at)
               SELECT %(id)s, CASE WHEN k %% 2 = 0 THEN 'in' ELSE 'out' END,
                      CASE WHEN k %% 5 = 0 THEN 'internal' ELSE 'public' END, 'email',
                      CASE WHEN k %% 2 = 1 THEN %(agent)s END, 'Long conversation, message ' || k, '', '', '', false, '{}',
                      now() - (60 - k) * interval '1 hour'
               FROM generate_series(1, %(extra)s) k""",
            {"id": detail_id, "agent": agents[0], "extra": DETAIL_MESSAGES - MESSAGES_PER_TICKET},
        )
        cur.execute(
            "UPDATE tickets_ticket SET team_id = %s WHERE id = %s", [teams[0].pk, detail_id]
        )
        for table in ("customers_customer", "customers_order", "tickets_ticket", "tickets_message",
                      "customers_contactidentity", "customers_orderitem"):  # fmt: skip
            # Table names come from the literal tuple above, never from input.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cur.execute(sql)
        log("search index")
        cur.execute("CREATE INDEX ticket_search_gin ON tickets_ticket USING gin (search_vector)")
    with connection.cursor() as cur:
        log("analyze")
        cur.execute("ANALYZE")
    log(f"generated in {time.monotonic() - started:.1f}s")
    return {"customers": customers, "orders": orders, "detail_ticket": detail_id}
