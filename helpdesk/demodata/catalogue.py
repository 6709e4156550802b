"""The demo shop's fixed facts: staff, products, names, places, carriers, rewards, macros."""

# ruff: noqa: E501  (tables read better unwrapped)

from __future__ import annotations

from dataclasses import dataclass

from core.models import AgentProfile

PASSWORD = "demo1234"  # noqa: S105 - demo logins exist only on a local setup


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str
    teams: tuple[str, ...]
    language: str
    # Share of each team's tickets this person handles (the rest of the team splits it).
    workload: float


STAFF = [
    StaffMember(
        "admin", "Ada", "Hoffmann", AgentProfile.Role.ADMIN, ("returns", "orders"), "en", 0.03
    ),
    StaffMember("lead", "Lena", "Vogel", AgentProfile.Role.LEAD, ("returns", "orders"), "de", 0.08),
    StaffMember("agent", "Ali", "Yıldız", AgentProfile.Role.AGENT, ("returns",), "tr", 0.42),
    StaffMember("agent2", "Anna", "Keller", AgentProfile.Role.AGENT, ("orders",), "de", 0.40),
    StaffMember("jonas", "Jonas", "Becker", AgentProfile.Role.AGENT, ("returns",), "de", 0.30),
    StaffMember("elif", "Elif", "Kaya", AgentProfile.Role.AGENT, ("orders",), "tr", 0.32),
    StaffMember("sam", "Sam", "Taylor", AgentProfile.Role.AGENT, ("returns", "orders"), "en", 0.14),
]

TEAMS = [
    # slug, name, country
    ("returns", "Returns & Repairs", "DE"),
    ("orders", "Orders", "TR"),
]
RETURNS_ADDRESS = "returns@shop.example"
# Business calendars: slug → (subdivision, opening hours as (weekday, opens, closes)).
CALENDARS = {
    # Berlin, weekdays and Saturday mornings.
    "returns": ("BE", [*((d, "09:00", "18:00") for d in range(5)), (5, "10:00", "14:00")]),
    # A split shift with a lunch break, weekdays only.
    "orders": ("", [*((d, "09:00", "12:30") for d in range(5)),
                    *((d, "13:30", "18:00") for d in range(5))]),
}  # fmt: skip


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    model: str  # what customers call it
    kind: str  # English name of the kind of product, part of the catalogue name
    price_cents: int
    warranty_months: int
    category: str  # "device" or "apparel"
    en: str
    de: tuple[str, str]  # accusative and dative with article
    tr: str

    @property
    def name(self) -> str:
        return f"{self.model} {self.kind}"


PRODUCTS = [
    ProductSpec("KET-100", "Inox 1.7 l", "kettle", 3999, 24, "device", "kettle", ("den Wasserkocher", "dem Wasserkocher"), "su ısıtıcısı"),
    ProductSpec("PHN-200", "Phone X2", "smartphone", 69900, 24, "device", "phone", ("das Smartphone", "dem Smartphone"), "telefon"),
    ProductSpec("ESP-310", "Barista Pro EM-500", "espresso machine", 54900, 24, "device", "espresso machine", ("die Espressomaschine", "der Espressomaschine"), "espresso makinesi"),
    ProductSpec("VAC-420", "CleanBot S7", "robot vacuum", 39900, 24, "device", "robot vacuum", ("den Saugroboter", "dem Saugroboter"), "robot süpürge"),
    ProductSpec("HPH-130", "Aura ANC", "wireless headset", 17900, 24, "device", "headset", ("das Headset", "dem Headset"), "kulaklık"),
    ProductSpec("SWT-250", "Pulse 3", "smartwatch", 24900, 24, "device", "smartwatch", ("die Smartwatch", "der Smartwatch"), "akıllı saat"),
    ProductSpec("TVS-550", "Vista 55", "4K TV", 89900, 24, "device", "TV", ("den Fernseher", "dem Fernseher"), "televizyon"),
    ProductSpec("LAP-140", "Air 14", "laptop", 129900, 24, "device", "laptop", ("den Laptop", "dem Laptop"), "dizüstü bilgisayar"),
    ProductSpec("AFR-150", "Crisp XL", "air fryer", 12900, 24, "device", "air fryer", ("die Heißluftfritteuse", "der Heißluftfritteuse"), "airfryer"),
    ProductSpec("BLN-160", "Power 1200", "blender", 8999, 24, "device", "blender", ("den Standmixer", "dem Standmixer"), "blender"),
    ProductSpec("LMP-170", "Lumen", "desk lamp", 4990, 24, "device", "desk lamp", ("die Schreibtischlampe", "der Schreibtischlampe"), "masa lambası"),
    ProductSpec("DRL-180", "Torque 18 V", "cordless drill", 15900, 36, "device", "cordless drill", ("den Akkuschrauber", "dem Akkuschrauber"), "şarjlı matkap"),
    ProductSpec("JKT-610", "Nordic", "winter jacket", 18900, 24, "apparel", "winter jacket", ("die Winterjacke", "der Winterjacke"), "kışlık mont"),
    ProductSpec("HOD-620", "Classic", "hoodie", 5990, 24, "apparel", "hoodie", ("den Hoodie", "dem Hoodie"), "kapüşonlu sweatshirt"),
    ProductSpec("SHO-630", "Ridge", "trail running shoes", 12995, 24, "apparel", "pair of trail running shoes", ("die Trailschuhe", "den Trailschuhen"), "koşu ayakkabısı"),
    ProductSpec("DRS-640", "Linen", "summer dress", 7990, 24, "apparel", "summer dress", ("das Sommerkleid", "dem Sommerkleid"), "yazlık elbise"),
]  # fmt: skip
BIG_TICKET_SKUS = ["LAP-140", "TVS-550", "PHN-200", "ESP-310", "VAC-420"]
APPAREL_SIZES = {
    "JKT-610": ["S", "M", "L", "XL"], "HOD-620": ["S", "M", "L", "XL"],
    "SHO-630": ["40", "41", "42", "43", "44"], "DRS-640": ["36", "38", "40", "42"],
}  # fmt: skip

# Customers' languages and how common each is among the shop's customers.
LANGUAGE_SHARES = {"de": 0.45, "tr": 0.30, "en": 0.25}
FIRST_NAMES = {
    "de": [
        "Anna",
        "Lukas",
        "Sophie",
        "Jonas",
        "Marie",
        "Felix",
        "Laura",
        "Leon",
        "Julia",
        "Paul",
        "Lena",
        "Maximilian",
        "Hannah",
        "Tim",
        "Sarah",
        "Niklas",
        "Katharina",
        "Jan",
        "Mia",
        "Florian",
        "Johanna",
        "Tobias",
        "Claudia",
        "Stefan",
        "Sabine",
        "Thomas",
        "Petra",
        "Michael",
        "Ursula",
        "Klaus",
    ],
    "tr": [
        "Ayşe",
        "Mehmet",
        "Fatma",
        "Mustafa",
        "Emine",
        "Ahmet",
        "Zeynep",
        "Ali",
        "Elif",
        "Hüseyin",
        "Merve",
        "Murat",
        "Esra",
        "Emre",
        "Büşra",
        "Burak",
        "Selin",
        "Can",
        "Deniz",
        "Hakan",
        "Gül",
        "Kemal",
        "Özlem",
        "Serkan",
        "Yasemin",
        "Onur",
        "Ebru",
        "Volkan",
        "Derya",
        "Cem",
    ],
    "en": [
        "Oliver",
        "Emily",
        "James",
        "Charlotte",
        "Jack",
        "Amelia",
        "Harry",
        "Olivia",
        "George",
        "Isla",
        "Thomas",
        "Grace",
        "William",
        "Sophie",
        "Daniel",
        "Chloe",
        "Samuel",
        "Lucy",
        "Joseph",
        "Ella",
        "Michael",
        "Hannah",
        "David",
        "Megan",
        "Ryan",
        "Laura",
        "Matthew",
        "Rachel",
        "Andrew",
        "Jessica",
    ],
}
LAST_NAMES = {
    "de": [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hofmann",
        "Hartmann",
        "Lange",
        "Schmitt",
        "Werner",
        "Krause",
        "Meier",
        "Lehmann",
    ],
    "tr": [
        "Yılmaz",
        "Kaya",
        "Demir",
        "Şahin",
        "Çelik",
        "Yıldız",
        "Yıldırım",
        "Öztürk",
        "Aydın",
        "Özdemir",
        "Arslan",
        "Doğan",
        "Kılıç",
        "Aslan",
        "Çetin",
        "Kara",
        "Koç",
        "Kurt",
        "Özkan",
        "Şimşek",
        "Polat",
        "Erdoğan",
        "Güneş",
        "Aksoy",
        "Tekin",
        "Acar",
        "Korkmaz",
        "Uçar",
        "Bulut",
        "Keskin",
    ],
    "en": [
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Johnson",
        "Davies",
        "Robinson",
        "Wright",
        "Thompson",
        "Evans",
        "Walker",
        "White",
        "Roberts",
        "Green",
        "Hall",
        "Wood",
        "Jackson",
        "Clarke",
        "Hughes",
        "Edwards",
        "Turner",
        "Murphy",
        "O'Connor",
        "Kelly",
        "Walsh",
        "Byrne",
        "Martin",
        "Cooper",
    ],
}
# Mail providers under the reserved .example top-level domain: no real inbox ever gets mail.
MAIL_DOMAINS = {
    "de": ["gmx.example", "web.example", "posteo.example", "t-online.example", "gmail.example"],
    "tr": ["gmail.example", "hotmail.example", "yandex.example", "outlook.example"],
    "en": ["gmail.example", "outlook.example", "icloud.example", "btinternet.example"],
}
STREETS = {
    "de": [
        "Hauptstraße 12",
        "Lindenallee 5",
        "Goethestraße 27",
        "Am Markt 3",
        "Bahnhofstraße 41",
        "Schillerweg 8",
    ],
    "tr": [
        "Atatürk Cad. No: 15",
        "Cumhuriyet Mah. 12. Sok. No: 4",
        "İstiklal Cad. No: 88",
        "Bağdat Cad. No: 210",
        "Gazi Bulvarı No: 31",
    ],
    "en": [
        "14 Church Lane",
        "7 Station Road",
        "22 Victoria Street",
        "3 Mill Close",
        "58 High Street",
    ],
}
CITIES = {
    "de": [
        "10115 Berlin",
        "80331 München",
        "50667 Köln",
        "20095 Hamburg",
        "60311 Frankfurt am Main",
        "70173 Stuttgart",
        "04109 Leipzig",
    ],
    "tr": [
        "Kadıköy / İstanbul",
        "Çankaya / Ankara",
        "Konak / İzmir",
        "Nilüfer / Bursa",
        "Muratpaşa / Antalya",
    ],
    "en": [
        "Manchester M1 2AB",
        "Bristol BS1 4DJ",
        "Leeds LS1 5AA",
        "Dublin D02 X285",
        "London N1 9GU",
    ],
}
CARRIERS = {
    "de": ["DHL", "DPD", "Hermes", "UPS"],
    "en": ["DHL", "UPS", "DPD"],
    "tr": ["Yurtiçi Kargo", "Aras Kargo", "MNG Kargo"],
}
# Mobile numbers in ranges the phone number library accepts (the UK's reserved drama range
# is not among them); the demo never sends a text message.
# Prefix and number of digits that follow it.
PHONE_FORMATS = {"de": ("+49151", 8), "tr": ("+90532", 7), "en": ("+447400", 6)}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "tr": [
        "Ocak",
        "Şubat",
        "Mart",
        "Nisan",
        "Mayıs",
        "Haziran",
        "Temmuz",
        "Ağustos",
        "Eylül",
        "Ekim",
        "Kasım",
        "Aralık",
    ],
}
ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ş": "s",
        "ı": "i",
        "ç": "c",
        "ğ": "g",
        "İ": "i",
        "'": "",
    }
)
TURKISH_ASCII = str.maketrans(
    {"ö": "o", "ü": "u", "ş": "s", "ı": "i", "ç": "c", "ğ": "g", "İ": "i"}
)

BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
]
LINK_SCANNER = "Mozilla/5.0 (compatible; SafeLinks link preview scanner)"

REWARDS = [
    {
        "name": "5 € voucher", "name_de": "5-€-Gutschein", "name_tr": "5 € hediye çeki",
        "points_cost": 500, "description": "5 € off your next order.",
        "description_de": "5 € Rabatt auf Ihre nächste Bestellung.",
        "description_tr": "Bir sonraki siparişinizde 5 € indirim.",
    },
    {
        "name": "Free shipping", "name_de": "Kostenloser Versand", "name_tr": "Ücretsiz kargo",
        "points_cost": 300, "description": "No shipping costs on your next order.",
        "description_de": "Keine Versandkosten bei Ihrer nächsten Bestellung.",
        "description_tr": "Bir sonraki siparişinizde kargo ücreti yok.",
    },
    {
        "name": "Extended warranty", "name_de": "Verlängerte Garantie",
        "name_tr": "Uzatılmış garanti", "points_cost": 2000,
        "description": "One more year of warranty on a product you choose.",
        "description_de": "Ein Jahr mehr Garantie auf ein Produkt Ihrer Wahl.",
        "description_tr": "Seçtiğiniz bir ürün için bir yıl ek garanti.",
    },
]  # fmt: skip

# Ready answers in each language the shop speaks (the composer offers a customer's own
# language first); placeholders are filled per ticket.
MACROS = [
    ("en", "Replacement on its way", "Hello {{ customer.first_name }},\n\nwe are sorry your order {{ order.number }} arrived damaged. A replacement leaves our warehouse today; you do not need to send anything back.\n\nKind regards,\n{{ agent.name }}"),
    ("de", "Ersatz ist unterwegs", "Hallo {{ customer.first_name }},\n\nes tut uns leid, dass Ihre Bestellung {{ order.number }} beschädigt ankam. Der Ersatz verlässt heute unser Lager; Sie müssen nichts zurückschicken.\n\nViele Grüße\n{{ agent.name }}"),
    ("tr", "Yenisi yolda", "Merhaba {{ customer.first_name }},\n\n{{ order.number }} numaralı siparişinizin hasarlı ulaşmasına üzüldük. Yenisi bugün depomuzdan çıkıyor; bir şey geri göndermenize gerek yok.\n\nSaygılarımızla,\n{{ agent.name }}"),
    ("en", "Return label attached", "Hello {{ customer.first_name }},\n\nyou'll find a prepaid return label for order {{ order.number }} attached. Drop the parcel off at any parcel shop; we refund you as soon as it reaches our warehouse.\n\nKind regards,\n{{ agent.name }}"),
    ("de", "Rücksendeetikett anbei", "Hallo {{ customer.first_name }},\n\nim Anhang finden Sie ein frankiertes Rücksendeetikett für Bestellung {{ order.number }}. Geben Sie das Paket in einem beliebigen Paketshop ab; die Erstattung erfolgt, sobald es in unserem Lager ist.\n\nViele Grüße\n{{ agent.name }}"),
    ("tr", "İade etiketi ekte", "Merhaba {{ customer.first_name }},\n\n{{ order.number }} numaralı sipariş için ücretsiz iade etiketi ekte. Paketi herhangi bir kargo şubesine bırakabilirsiniz; depomuza ulaşır ulaşmaz iadeniz yapılır.\n\nSaygılarımızla,\n{{ agent.name }}"),
    ("en", "Refund issued", "Hello {{ customer.first_name }},\n\nthe refund for order {{ order.number }} has been issued to your original payment method. Depending on your bank it shows up within 3–5 working days.\n\nKind regards,\n{{ agent.name }}"),
    ("de", "Erstattung veranlasst", "Hallo {{ customer.first_name }},\n\ndie Erstattung für Bestellung {{ order.number }} ist auf Ihr ursprüngliches Zahlungsmittel angewiesen. Je nach Bank ist sie in 3–5 Werktagen sichtbar.\n\nViele Grüße\n{{ agent.name }}"),
    ("tr", "Para iadesi yapıldı", "Merhaba {{ customer.first_name }},\n\n{{ order.number }} numaralı siparişin iadesi ödeme yönteminize yapıldı. Bankanıza bağlı olarak 3–5 iş günü içinde hesabınıza yansır.\n\nSaygılarımızla,\n{{ agent.name }}"),
]  # fmt: skip

# Months between services of the devices that want one (maintenance reminders).
SERVICE_INTERVALS = {"ESP-310": 12, "VAC-420": 6, "AFR-150": 12}
