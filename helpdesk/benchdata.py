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

from core.config_cache import config_changed

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
# Keywords in ticket subjects, most common first: the first is in a third of all tickets
# (1000 ** (-1 / ZIPF_EXPONENT) = 1/3), the product codes at the end in a handful each.
VOCABULARY = ["parcel", "delivery", "refund", "damaged", "invoice", "exchange", "warranty",
              "voucher", "courier", "receipt", *(f"zx{n:04d}" for n in range(990))]  # fmt: skip
ZIPF_EXPONENT = 6.29
# Search terms of the benchmark: in a third of the tickets, in a few, in none.
SEARCH_COMMON, SEARCH_RARE, SEARCH_NONE = "parcel", "zx0987", "quixotic"
CONFIG = "helpdesk_ts_config"
MESSAGES_PER_TICKET = 3
DETAIL_MESSAGES = 50
LARGE_TICKETS, LARGE_TICKET_MESSAGES = 10, 300


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

        # h(i, k): the k-th independent uniform draw in [0, 1) for row i (a hash, so the
        # data set is the same whenever it is generated).
        cur.execute(
            """CREATE FUNCTION pg_temp.h(i bigint, k int) RETURNS double precision
               LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
               $$ SELECT (('x' || substr(md5(i::text || ':' || k::text), 1, 8))::bit(32)::bigint)::double precision / 4294967296.0 $$"""
        )
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
        cur.execute(
            "CREATE TEMP TABLE bench_word (idx int PRIMARY KEY, word text, vec tsvector) ON COMMIT DROP"
        )
        cur.executemany("INSERT INTO bench_word VALUES (%s, %s, setweight(to_tsvector('simple', %s), 'B'))",
                        [(i, word, word) for i, word in enumerate(VOCABULARY)])  # fmt: skip
        cur.execute("DROP INDEX IF EXISTS ticket_search_gin")
        # Every attribute draws from its own hash of the ticket number (u_*, uniform in
        # [0, 1)), so status, priority, channel, team, assignee, customer and age are
        # independent. The backlog ages: the chance that a ticket is still unsolved falls
        # from about half on its first day to 2 % after a few weeks, so old open tickets
        # exist too. Customers are drawn with a power law (a few have hundreds of
        # tickets), and each ticket names one keyword of a Zipf-like vocabulary: the
        # first matches a third of all tickets, the last few only a handful.
        cur.execute(
            """INSERT INTO tickets_ticket (id, subject, status, priority, channel, customer_id, team_id,
                   assignee_id, created_at, updated_at, last_activity_at, first_response_at, solved_at,
                   closed_at, sla_due, sla_at_risk_at, search_vector)
               SELECT %(t0)s + g.i, s.body || ' ' || w.word, g.status, g.priority, g.channel, g.customer_id, g.team_id,
                      g.assignee_id, g.created_at, g.last_at, g.last_at,
                      CASE WHEN g.status <> 'new' THEN g.created_at + interval '2 hours' END,
                      CASE WHEN g.status IN ('solved','closed') THEN g.last_at END,
                      CASE WHEN g.status = 'closed' THEN g.last_at END,
                      -- SLA: new and open tickets have a clock running, due from a day ago
                      -- to a week ahead (one in eight overdue); at risk ten hours before.
                      CASE WHEN g.status IN ('new','open') THEN now() + (g.u_due * 191 - 24) * interval '1 hour' END,
                      CASE WHEN g.status IN ('new','open') THEN now() + (g.u_due * 191 - 34) * interval '1 hour' END,
                      s.vec || w.vec || setweight(to_tsvector('simple', c.first_name || ' ' || c.last_name), 'B')
                        || b1.vec || b2.vec || b3.vec
               FROM (
                 SELECT r.*,
                        (%(teams)s::int[])[1 + floor(u_team * %(nt)s)::int] AS team_id,
                        CASE WHEN u_assigned < 0.75 THEN (%(agents)s::int[])[1 + floor(u_agent * %(na)s)::int] END AS assignee_id,
                        (%(channels)s::text[])[1 + floor(u_channel * %(nch)s)::int] AS channel,
                        CASE WHEN u_priority < 0.10 THEN 1 WHEN u_priority < 0.70 THEN 2
                             WHEN u_priority < 0.92 THEN 3 ELSE 4 END AS priority,
                        least(created_at + (u_last * 96) * interval '1 hour', now()) AS last_at,
                        CASE WHEN u_unsolved < 0.02 + 0.5 * exp(-extract(epoch FROM now() - created_at) / 864000.0)
                             THEN CASE WHEN u_state < 0.15 THEN 'new' WHEN u_state < 0.60 THEN 'open'
                                       WHEN u_state < 0.85 THEN 'pending' ELSE 'on_hold' END
                             WHEN created_at > now() - interval '7 days' THEN 'solved'
                             ELSE 'closed' END AS status
                 FROM (SELECT i,
                              %(c0)s + 1 + floor(%(nc)s * power(pg_temp.h(i, 1), 1.6))::bigint AS customer_id,
                              floor(pg_temp.h(i, 2) * 10)::int AS lang_i,
                              now() - (%(n)s - i) * (interval '730 days' / %(n)s) AS created_at,
                              pg_temp.h(i, 3) AS u_team, pg_temp.h(i, 4) AS u_assigned, pg_temp.h(i, 5) AS u_agent,
                              pg_temp.h(i, 6) AS u_channel, pg_temp.h(i, 7) AS u_priority, pg_temp.h(i, 8) AS u_last,
                              pg_temp.h(i, 9) AS u_unsolved, pg_temp.h(i, 10) AS u_state, pg_temp.h(i, 11) AS u_due,
                              floor(%(nw)s * power(pg_temp.h(i, 12), %(zipf)s))::int AS word_i
                       FROM generate_series(1, %(n)s) i) r
               ) g
               JOIN customers_customer c ON c.id = g.customer_id
               JOIN bench_word w ON w.idx = g.word_i
               JOIN bench_subject s ON s.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(ps)s + (g.i * 7) %% %(ps)s
               JOIN bench_body b1 ON b1.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3) %% %(pb)s
               JOIN bench_body b2 ON b2.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3 + 1) %% %(pb)s
               JOIN bench_body b3 ON b3.idx = (CASE WHEN g.lang_i < 4 THEN 0 WHEN g.lang_i < 7 THEN 1 ELSE 2 END) * %(pb)s + (g.i * 3 + 2) %% %(pb)s
            """,
            {"t0": t0, "c0": c0, "nc": customers - 1, "n": tickets, "teams": [t.pk for t in teams],
             "nt": len(teams), "agents": agents, "na": len(agents), "channels": CHANNELS,
             "nch": len(CHANNELS), "ps": per_lang_s, "pb": per_lang_b, "nw": len(VOCABULARY),
             "zipf": ZIPF_EXPONENT},
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
        # A few very large tickets: a dispute that went back and forth for months.
        cur.execute(
            """INSERT INTO tickets_message (ticket_id, direction, visibility, channel, author_id,
                   body_text, body_html, external_id, body_original, automatic, flags, created_at)
               SELECT t.id, CASE WHEN k %% 2 = 0 THEN 'in' ELSE 'out' END, 'public', 'email',
                      CASE WHEN k %% 2 = 1 THEN %(agent)s END, 'Dispute, message ' || k, '', '', '', false, '{}',
                      t.created_at + k * interval '6 hours'
               FROM tickets_ticket t CROSS JOIN generate_series(1, %(size)s) k
               WHERE t.id IN (SELECT %(t0)s + (j * %(step)s) FROM generate_series(2, %(count)s + 1) j)""",
            {"t0": t0, "agent": agents[0], "size": LARGE_TICKET_MESSAGES, "count": LARGE_TICKETS,
             "step": max(tickets // (LARGE_TICKETS + 2), 1)},
        )  # fmt: skip
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
    # Teams, agents and tags went in by bulk SQL, past the configuration signals.
    config_changed()
    log(f"generated in {time.monotonic() - started:.1f}s")
    return {"customers": customers, "orders": orders, "detail_ticket": detail_id}


# --- the help center ----------------------------------------------------------------------

HELP_TITLES = {
    "en": ["How to return your {p}", "Refund for a {p}", "Caring for your {p}",
           "Warranty and repairs: {p}", "Setting up your new {p}", "Spare parts for the {p}",
           "Delivery times for a {p}", "Cleaning the {p}", "Troubleshooting: {p} will not start",
           "Exchanging a {p} for another model"],
    "de": ["Rücksendung: {p}", "Erstattung für einen {p}", "Pflege: {p}", "Garantie und Reparatur: {p}",
           "Einrichtung: Ihr neuer {p}", "Ersatzteile für {p}", "Lieferzeiten: {p}", "Reinigung: {p}",
           "Fehlerbehebung: {p} startet nicht", "Umtausch: {p} gegen ein anderes Modell"],
    "tr": ["{p} nasıl iade edilir", "{p} için para iadesi", "{p} bakımı", "{p} garanti ve onarım",
           "Yeni {p} kurulumu", "{p} yedek parçaları", "{p} teslimat süreleri", "{p} temizliği",
           "Sorun giderme: {p} çalışmıyor", "{p} değişimi"],
}  # fmt: skip


def generate_helpcenter(*, per_language: int, log: Callable[[str], None] = print) -> int:
    """Published help-center articles, ``per_language`` in each language, in 10 bench
    categories of 10 sections, with texts varied from the ticket texts above; the search
    trigger computes their vectors and the spelling list is filled from their words."""
    from helpcenter.models import Category, Section

    started = time.monotonic()
    sections = []
    for c in range(10):
        category, _ = Category.objects.get_or_create(
            slug=f"bench-{c}", defaults={"name_en": f"Bench topic {c}", "position": 900 + c}
        )
        for s in range(10):
            section, _ = Section.objects.get_or_create(
                slug=f"bench-{c}-{s}", defaults={"category": category, "name_en": f"Bench {c}.{s}"}
            )
            sections.append(section.pk)
    titles, bodies = _texts(HELP_TITLES), _texts(BODIES)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SELECT coalesce(max(id), 0) FROM helpcenter_article")
        a0 = cur.fetchone()[0]
        cur.execute(
            """INSERT INTO helpcenter_article (id, section_id, position, created_at)
               SELECT %(a0)s + i, (%(sections)s::int[])[1 + i %% %(ns)s], 100, now()
               FROM generate_series(1, %(n)s) i""",
            {"a0": a0, "sections": sections, "ns": len(sections), "n": per_language},
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('helpcenter_article', 'id'), %s)",
                    [a0 + per_language])  # fmt: skip
        for lang in LANGS:
            lang_titles = [t for _i, lg, t in titles if lg == lang]
            lang_bodies = [t for _i, lg, t in bodies if lg == lang]
            log(f"help-center articles ({lang}): {per_language}")
            cur.execute(
                """INSERT INTO helpcenter_articletranslation (article_id, language, title, slug,
                       body_markdown, body_html, body_text, status, published_at, updated_at)
                   SELECT %(a0)s + i, %(lang)s, t.title, 'bench-' || %(lang)s || '-' || (%(a0)s + i),
                          t.body, '<p>' || t.body || '</p>', t.body, 'published', now(), now()
                   FROM generate_series(1, %(n)s) i,
                   LATERAL (SELECT (%(titles)s::text[])[1 + i %% %(nt)s] || ' ' || (i / %(nt)s) AS title,
                                   (%(bodies)s::text[])[1 + i %% %(nb)s] || ' '
                                   || (%(bodies)s::text[])[1 + (i * 7) %% %(nb)s] || ' '
                                   || (%(bodies)s::text[])[1 + (i * 13) %% %(nb)s] AS body) t""",
                {"a0": a0, "lang": lang, "n": per_language, "titles": lang_titles,
                 "nt": len(lang_titles), "bodies": lang_bodies, "nb": len(lang_bodies)},
            )  # fmt: skip
        cur.execute(
            """INSERT INTO helpcenter_searchword (language, word, documents)
               SELECT language, lower(w), count(DISTINCT t.id) FROM helpcenter_articletranslation t,
                      regexp_split_to_table(t.title || ' ' || t.body_text, '[^[:alpha:]]+') w
               WHERE t.article_id > %s AND length(w) BETWEEN 3 AND 60
               GROUP BY language, lower(w)
               ON CONFLICT (language, word) DO UPDATE
               SET documents = helpcenter_searchword.documents + excluded.documents""",
            [a0],
        )
    cur_count = per_language * len(LANGS)
    log(f"help-center data: {cur_count} translations in {time.monotonic() - started:.0f} s")
    return cur_count
