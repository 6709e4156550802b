"""Reply drafts and the tone rules expected to fire on each, exactly.

A plain sentence is checked inside a greeting with the customer's name (so only the rules
about the sentence itself can fire); an entry with ``raw=True`` is the whole draft.
``last`` is the customer's last message, for the apology rule."""

from __future__ import annotations

from dataclasses import dataclass, field

NAMES = {"en": "Kim", "de": "Jana", "tr": "Ayşe"}
GREETING = {"en": "Hello Kim,\n\n{}\n\nBest regards", "de": "Hallo Jana,\n\n{}\n\nViele Grüße",
            "tr": "Merhaba Ayşe,\n\n{}\n\nSaygılarımızla"}  # fmt: skip


@dataclass(frozen=True)
class Case:
    text: str
    fires: frozenset[str] = field(default_factory=frozenset)
    last: str = ""
    raw: bool = False


def case(text: str, *fires: str, last: str = "", raw: bool = False) -> Case:
    return Case(text=text, fires=frozenset(fires), last=last, raw=raw)


CORPUS: dict[str, list[Case]] = {
    "en": [
        case("We can't exchange the item after 30 days.", "negative"),
        case("That's not possible with this model.", "negative"),
        case("I'm afraid we cannot refund the shipping.", "negative"),
        case("It is not our problem if the courier was late.", "negative"),
        case(
            "We can exchange the item for you today.",
        ),
        case(
            "Here is what we can do: a replacement by Friday.",
        ),
        case("You should have kept the receipt.", "blaming"),
        case("It was your mistake to open the seal.", "blaming"),
        case("Because you didn't register, the warranty is short.", "blaming"),
        case(
            "Keeping the receipt helps with any later claim.",
        ),
        case("We will answer within 1–2 business days.", "vague_time"),
        case("We'll get back to you as soon as possible.", "vague_time"),
        case("We will look into it shortly.", "vague_time"),
        case(
            "We will call you tomorrow at 12:00.",
        ),
        case("I don't know when it will arrive.", "dont_know"),
        case("No idea, sorry.", "dont_know"),
        case(
            "I don't know yet, but I will find out and call you at 3 pm.",
        ),
        case(
            "I'm not sure, let me check with the warehouse.",
        ),
        case("As I already said, the store is closed on Sundays.", "arguing"),
        case("For the third time, the parcel was delivered.", "arguing"),
        case(
            "To sum up: the store is closed on Sundays.",
        ),
        case("Thanks for your order.\n\nBest regards", "no_greeting", raw=True),
        case("Your replacement ships today.", "no_greeting", raw=True),
        case("Hello,\n\nyour replacement ships today.", "no_name", raw=True),
        case("Hi there,\n\nwe have good news.", "no_name", raw=True),
        case("Dear Kim,\n\nyour replacement ships today.", raw=True),
        case("Good morning Kim, the parcel is on its way.", raw=True),
        case(
            "Your replacement ships today.",
            "no_apology",
            last="This is unacceptable, I am still waiting!!",
        ),
        case(
            "Your replacement ships today.",
            "no_apology",
            last="I'm really disappointed with your service.",
        ),
        case(
            "I'm sorry for the wait. Your replacement ships today.",
            last="This is unacceptable, I am still waiting!!",
        ),
        case("Your replacement ships today.", last="Thanks, that would be great."),
        case("We cannot do that, as I already said.", "negative", "arguing"),
    ],
    "de": [
        case("Wir können den Artikel nach 30 Tagen nicht umtauschen.", "negative"),
        case("Das ist leider nicht möglich.", "negative"),
        case("Eine Erstattung der Versandkosten geht leider nicht.", "negative"),
        case("Das ist nicht unser Problem.", "negative"),
        case(
            "Wir tauschen den Artikel gern heute noch um.",
        ),
        case(
            "Was wir für Sie tun können: einen Ersatz bis Freitag.",
        ),
        case("Sie hätten den Kassenbon aufbewahren müssen.", "blaming"),
        case("Das war Ihr Fehler beim Öffnen der Verpackung.", "blaming"),
        case("Da Sie nicht registriert sind, gilt nur die kurze Garantie.", "blaming"),
        case(
            "Der Kassenbon hilft bei jeder späteren Reklamation.",
        ),
        case("Wir melden uns in Kürze.", "vague_time"),
        case("Wir bearbeiten das schnellstmöglich.", "vague_time"),
        case("Sie hören innerhalb von 1–2 Werktagen von uns.", "vague_time"),
        case(
            "Wir rufen Sie morgen um 12 Uhr an.",
        ),
        case("Ich weiß es nicht.", "dont_know"),
        case("Keine Ahnung, wann es ankommt.", "dont_know"),
        case(
            "Ich weiß es noch nicht, aber ich kläre das und rufe Sie um 15 Uhr an.",
        ),
        case(
            "Ich bin mir nicht sicher, ich frage im Lager nach.",
        ),
        case("Wie bereits gesagt, ist die Filiale sonntags geschlossen.", "arguing"),
        case("Wie ich schon erwähnt habe, wurde das Paket zugestellt.", "arguing"),
        case(
            "Zusammengefasst: Die Filiale ist sonntags geschlossen.",
        ),
        case("Danke für Ihre Bestellung.\n\nViele Grüße", "no_greeting", raw=True),
        case("Ihr Ersatz geht heute raus.", "no_greeting", raw=True),
        case("Hallo,\n\nIhr Ersatz geht heute raus.", "no_name", raw=True),
        case("Sehr geehrte Damen und Herren,\n\nIhr Ersatz geht heute raus.", "no_name", raw=True),
        case("Liebe Jana,\n\nIhr Ersatz geht heute raus.", raw=True),
        case("Guten Tag Jana, Ihr Paket ist unterwegs.", raw=True),
        case(
            "Ihr Ersatz geht heute raus.",
            "no_apology",
            last="Das ist eine Frechheit, ich warte immer noch nicht auf Antwort!!",
        ),
        case(
            "Ihr Ersatz geht heute raus.",
            "no_apology",
            last="Ich bin sehr enttäuscht von Ihrem Service.",
        ),
        case(
            "Es tut mir leid, dass Sie warten mussten. Ihr Ersatz geht heute raus.",
            last="Ich bin sehr enttäuscht von Ihrem Service.",
        ),
        case("Ihr Ersatz geht heute raus.", last="Danke, das wäre toll."),
        case("Das ist nicht möglich, wie bereits gesagt.", "negative", "arguing"),
    ],
    "tr": [
        case("Ürünü 30 günden sonra değiştiremeyiz.", "negative"),
        case("Bu model için bu mümkün değil.", "negative"),
        case("Kargo ücretini iade edemiyoruz.", "negative"),
        case("Kuryenin gecikmesi bizim sorunumuz değil.", "negative"),
        case(
            "Ürünü bugün sizin için değiştirebiliriz.",
        ),
        case(
            "Sizin için yapabileceğimiz şu: cumaya kadar yeni ürün.",
        ),
        case("Fişi saklamalıydınız.", "blaming"),
        case("Ambalajı açmak sizin hatanız.", "blaming"),
        case("Siz kaydı yapmadığınız için garantiyi uzatmalıydınız.", "blaming"),
        case(
            "Fiş, sonraki her talepte işinize yarar.",
        ),
        case("En kısa sürede size dönüş yapacağız.", "vague_time"),
        case("1-2 iş günü içinde size bilgi vereceğiz.", "vague_time"),
        case("Yakında sizinle iletişime geçeceğiz.", "vague_time"),
        case(
            "Sizi yarın saat 12'de arayacağız.",
        ),
        case("Ne zaman geleceğini bilmiyorum.", "dont_know"),
        case("Emin değilim.", "dont_know"),
        case(
            "Henüz bilmiyorum ama öğrenip sizi saat 15'te arayacağım.",
        ),
        case(
            "Emin değilim, depoya sorup size dönüş yapacağım.",
        ),
        case("Daha önce de söylediğim gibi mağaza pazar günleri kapalı.", "arguing"),
        case("Zaten söylemiştim, paket teslim edildi.", "arguing"),
        case(
            "Özetlemek gerekirse: mağaza pazar günleri kapalı.",
        ),
        case("Siparişiniz için teşekkürler.\n\nSaygılarımızla", "no_greeting", raw=True),
        case("Yeni ürününüz bugün kargoda.", "no_greeting", raw=True),
        case("Merhaba,\n\nyeni ürününüz bugün kargoda.", "no_name", raw=True),
        case("İyi günler,\n\nyeni ürününüz bugün kargoda.", "no_name", raw=True),
        case("Sayın Ayşe Hanım,\n\nyeni ürününüz bugün kargoda.", raw=True),
        case("Merhaba Ayşe, paketiniz yolda.", raw=True),
        case(
            "Yeni ürününüz bugün kargoda.",
            "no_apology",
            last="Bu tam bir rezalet, hala bekliyorum!!",
        ),
        case(
            "Yeni ürününüz bugün kargoda.",
            "no_apology",
            last="Hizmetinizden çok hayal kırıklığına uğradım.",
        ),
        case(
            "Beklettiğimiz için özür dileriz. Yeni ürününüz bugün kargoda.",
            last="Bu tam bir rezalet, hala bekliyorum!!",
        ),
        case("Yeni ürününüz bugün kargoda.", last="Teşekkürler, harika olur."),
        case("Bu mümkün değil, daha önce de söylediğim gibi.", "negative", "arguing"),
    ],
}
