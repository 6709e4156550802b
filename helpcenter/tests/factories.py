"""Help-center test data: a staff writer, categories, and a corpus of published
articles in English, German and Turkish (``corpus``), at least 30 per language."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.models import AgentProfile, Team
from helpcenter.models import ArticleTranslation, Category, Section
from helpcenter.services import article_create, translation_propose, translation_publish

# (key, {language: (title, body)}) of the hand-written articles the ranking tests look for.
ARTICLES = [
    (
        "returns",
        {
            "en": (
                "How to return an order",
                "You can send back an order within 30 days. Print the "
                "return label from your confirmation, pack the goods and hand the parcel to the "
                "carrier. We refund the price when the parcel is back.",
            ),
            "de": (
                "Rücksendung: so schicken Sie eine Bestellung zurück",
                "Sie können eine Bestellung "
                "innerhalb von 30 Tagen zurückschicken. Drucken Sie das Rücksendeetikett aus, "
                "verpacken Sie die Ware und geben Sie das Paket beim Versanddienst ab. Nach der "
                "Rücksendung erstatten wir den Kaufpreis.",
            ),
            "tr": (
                "Siparişinizi nasıl iade edersiniz",
                "Siparişinizi 30 gün içinde iade "
                "edebilirsiniz. İade etiketini yazdırın, ürünü paketleyin ve kargoya verin. Paket "
                "bize ulaştığında ücreti geri ödüyoruz.",
            ),
        },
    ),
    (
        "refund",
        {
            "en": (
                "When will I get my refund?",
                "A refund reaches your account within five working "
                "days after we received the returned parcel. Card payments may take longer.",
            ),
            "de": (
                "Wann bekomme ich mein Geld zurück?",
                "Die Erstattung ist spätestens fünf Werktage "
                "nach Eingang des Pakets auf Ihrem Konto. Bei Kreditkarten kann es länger dauern.",
            ),
            "tr": (
                "Param ne zaman geri ödenir?",
                "Geri ödeme, paket bize ulaştıktan sonra beş iş "
                "günü içinde hesabınızda olur. Kredi kartı ödemelerinde daha uzun sürebilir.",
            ),
        },
    ),
    (
        "tracking",
        {
            "en": (
                "Where is my parcel? Tracking your delivery",
                "Open the tracking link in your "
                "shipping email to see where the parcel is and when the courier arrives.",
            ),
            "de": (
                "Wo ist mein Paket? Sendungsverfolgung",
                "Öffnen Sie den Link zur "
                "Sendungsverfolgung in der Versandbestätigung, um zu sehen, wo Ihr Paket ist.",
            ),
            "tr": (
                "Kargom nerede? Kargo takibi",
                "Kargonuzun nerede olduğunu görmek için kargo "
                "e-postasındaki takip bağlantısını açın.",
            ),
        },
    ),
    (
        "warranty",
        {
            "en": (
                "Warranty and repairs",
                "Every product has a warranty from the day of delivery. "
                "If it breaks, we repair or replace it free of charge.",
            ),
            "de": (
                "Garantie und Reparatur",
                "Jedes Produkt hat ab dem Tag der Lieferung Garantie. "
                "Geht es kaputt, reparieren oder ersetzen wir es kostenlos.",
            ),
            "tr": (
                "Garanti ve onarım",
                "Her ürünün teslimat gününden itibaren garantisi vardır. "
                "Arızalanırsa ücretsiz olarak onarır veya değiştiririz.",
            ),
        },
    ),
    (
        "invoice",
        {
            "en": (
                "Where do I find my invoice?",
                "The invoice is attached to the shipping email as a "
                "PDF. You can also download it from your personal link.",
            ),
            "de": (
                "Wo finde ich meine Rechnung?",
                "Die Rechnung hängt als PDF an der "
                "Versandbestätigung. Sie können sie auch über Ihren persönlichen Link laden.",
            ),
            "tr": (
                "Faturamı nerede bulurum?",
                "Fatura, kargo e-postasına PDF olarak eklenmiştir. "
                "Kişisel bağlantınızdan da indirebilirsiniz.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Payment methods",
                "We accept credit cards, PayPal and bank transfer. Payment by "
                "invoice is possible for returning customers.",
            ),
            "de": (
                "Zahlungsarten",
                "Wir akzeptieren Kreditkarte, PayPal und Überweisung. Kauf auf "
                "Rechnung ist für Stammkunden möglich.",
            ),
            "tr": ("Ödeme yöntemleri", "Kredi kartı, PayPal ve havale kabul ediyoruz."),
        },
    ),
]
# Filler articles so every language has at least 30: care guides per product.
PRODUCTS = {
    "en": [
        "kettle",
        "toaster",
        "blender",
        "coffee machine",
        "vacuum cleaner",
        "iron",
        "fan",
        "heater",
        "microwave",
        "fridge",
        "freezer",
        "dishwasher",
        "washing machine",
        "dryer",
        "oven",
        "hob",
        "mixer",
        "juicer",
        "grill",
        "air fryer",
        "rice cooker",
        "scale",
        "hair dryer",
        "shaver",
        "lamp",
        "radio",
    ],
    "de": [
        "Wasserkocher",
        "Toaster",
        "Mixer",
        "Kaffeemaschine",
        "Staubsauger",
        "Bügeleisen",
        "Ventilator",
        "Heizlüfter",
        "Mikrowelle",
        "Kühlschrank",
        "Gefriertruhe",
        "Geschirrspüler",
        "Waschmaschine",
        "Wäschetrockner",
        "Backofen",
        "Kochfeld",
        "Handrührgerät",
        "Entsafter",
        "Grill",
        "Heißluftfritteuse",
        "Reiskocher",
        "Waage",
        "Haartrockner",
        "Rasierer",
        "Lampe",
        "Radio",
    ],
    "tr": [
        "su ısıtıcısı",
        "ekmek kızartma makinesi",
        "blender",
        "kahve makinesi",
        "elektrikli süpürge",
        "ütü",
        "vantilatör",
        "ısıtıcı",
        "mikrodalga",
        "buzdolabı",
        "dondurucu",
        "bulaşık makinesi",
        "çamaşır makinesi",
        "kurutma makinesi",
        "fırın",
        "ocak",
        "mikser",
        "meyve sıkacağı",
        "ızgara",
        "fritöz",
        "pilav pişirici",
        "tartı",
        "saç kurutma makinesi",
        "tıraş makinesi",
        "lamba",
        "radyo",
    ],
}
CARE = {
    "en": (
        "Caring for your {p}",
        "Clean the {p} with a soft cloth and unplug it first. "
        "Descale it regularly and keep the cable dry.",
    ),
    "de": (
        "Pflege: {p}",
        "Reinigen Sie das Gerät ({p}) mit einem weichen Tuch und ziehen Sie "
        "vorher den Stecker. Entkalken Sie es regelmäßig.",
    ),
    "tr": (
        "{p} bakımı",
        "{p} temizlemeden önce fişi çekin ve yumuşak bir bezle silin. "
        "Düzenli olarak kireçten arındırın.",
    ),
}


def staff_user(*, username: str = "writer", role: str = AgentProfile.Role.LEAD, team=None):
    user = get_user_model().objects.create_user(username=username, password="pw",
                                                first_name=username.title())  # fmt: skip
    profile = AgentProfile.objects.create(user=user, role=role)
    if team is not None:
        profile.teams.add(team)
    return user


def section_make(*, slug: str = "orders") -> Section:
    category, _ = Category.objects.get_or_create(
        slug=f"c-{slug}", defaults={"name_en": "Orders", "name_de": "Bestellungen",
                                    "name_tr": "Siparişler"},
    )  # fmt: skip
    section, _ = Section.objects.get_or_create(
        slug=slug, category=category,
        defaults={"name_en": "Returns", "name_de": "Rücksendungen", "name_tr": "İadeler"},
    )  # fmt: skip
    return section


def article_publish(*, section: Section, by, texts: dict[str, tuple[str, str]]) -> dict:
    """An article published in each language of ``texts``; its translations by language."""
    languages = list(texts)
    first = languages[0]
    translation = article_create(section=section, by=by, language=first,
                                 title=texts[first][0], body_markdown=texts[first][1])  # fmt: skip
    out = {first: translation_publish(translation=translation, by=by)}
    for language in languages[1:]:
        revision = translation_propose(article=translation.article, language=language,
                                       title=texts[language][0], body_markdown=texts[language][1],
                                       by=by)  # fmt: skip
        out[language] = translation_publish(translation=revision.translation, by=by)
    return out


def corpus(*, by=None) -> dict[str, dict[str, ArticleTranslation]]:
    """The ranking corpus: ARTICLES plus care guides, 32 per language."""
    by = by or staff_user(username="corpus-lead")
    section = section_make()
    made = {key: article_publish(section=section, by=by, texts=texts) for key, texts in ARTICLES}
    for index in range(len(PRODUCTS["en"])):
        texts = {}
        for language, (title, body) in CARE.items():
            product = PRODUCTS[language][index]
            texts[language] = (title.format(p=product), body.format(p=product))
        made[f"care-{index}"] = article_publish(section=section, by=by, texts=texts)
    return made


def team_make(slug: str = "returns", *, default: bool = False) -> Team:
    return Team.objects.create(name=slug.title(), slug=slug, is_default=default)
