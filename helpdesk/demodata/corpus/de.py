"""Deutsch: was Kundinnen und Kunden schreiben und wie das Team antwortet.

Antworten beginnen klein, weil sie auf die Anrede „Hallo …,“ folgen; im Chat wird der
erste Buchstabe großgeschrieben. Der Artikel steht nur im Akkusativ ({p_acc}) oder Dativ
({p_dat}) im Satz, nie als Subjekt, damit Genus und Numerus immer passen."""

# ruff: noqa: E501  (one message per line reads better than wrapped fragments)

SUBJECTS = {
    "wismo": [
        "Wo bleibt meine Bestellung {order}?",
        "Bestellung {order} noch nicht angekommen",
        "Sendungsverfolgung seit {days} Tagen unverändert",
    ],
    "damaged": [
        "{product} beschädigt angekommen",
        "Defekt bei Lieferung – Bestellung {order}",
        "Paket beschädigt",
    ],
    "return": [
        "Rücksendung Bestellung {order}",
        "Ich möchte einen Artikel zurückschicken",
        "Wie funktioniert die Rücksendung?",
    ],
    "refund": [
        "Erstattung für Bestellung {order}?",
        "Warte immer noch auf meine Erstattung",
        "Wo bleibt mein Geld?",
    ],
    "size": [
        "Größe {size} ist zu klein",
        "Umtausch in eine andere Größe",
        "Falsche Größe – bitte umtauschen",
    ],
    "warranty": [
        "Garantiefall: {product}",
        "{product} funktioniert nicht mehr",
        "Defekt nach wenigen Monaten",
    ],
    "invoice": [
        "Rechnung für Bestellung {order}",
        "Rechnung mit USt-IdNr. benötigt",
        "Bitte um Rechnungskopie",
    ],
    "address": [
        "Lieferadresse für {order} ändern",
        "Falsche Adresse in meiner Bestellung",
        "Kann ich die Adresse noch ändern?",
    ],
    "loyalty": [
        "Frage zu meinen Treuepunkten",
        "Punkte fehlen in meinem Konto",
        "Wie löse ich meine Punkte ein?",
    ],
    "product": [
        "Ist {product} kompatibel?",
        "Frage zum Artikel {product}",
        "Vor dem Kauf: {product}",
    ],
}

OPENINGS = {
    "wismo": [
        "Hallo,\n\nich habe am {date} {p_acc} bestellt (Bestellung {order}), aber bisher ist nichts angekommen. Die Sendungsverfolgung von {carrier} zeigt seit {days} Tagen „in Zustellung“. Können Sie bitte nachsehen, was los ist?\n\nDanke und viele Grüße\n{first} {last}",
        "Guten Tag,\n\nmeine Bestellung {order} vom {date} ist immer noch nicht da. Ich brauche {p_acc} dringend fürs Wochenende. Wann wird geliefert?\n\nMit freundlichen Grüßen\n{first} {last}",
        "Hallo zusammen,\n\ndie Sendungsnummer {tracking} zeigt nichts mehr an, seit das Paket Ihr Lager verlassen hat. Ist meine Bestellung {order} verloren gegangen?\n\nGruß\n{first}",
    ],
    "damaged": [
        "Hallo,\n\nmeine Bestellung {order} ist heute angekommen, aber leider beschädigt: Das Gehäuse hat einen Riss und eine Ecke ist eingedrückt. Der Karton war schon bei der Übergabe eingerissen. Fotos habe ich angehängt. Wie gehen wir jetzt vor?\n\nViele Grüße\n{first} {last}",
        "Guten Morgen,\n\nich habe heute {p_acc} ausgepackt und nichts funktioniert – offenbar ist das Paket beim Transport heruntergefallen, innen klappert etwas. Ich hätte gern einen Ersatz.\n\n{first}",
        "Sehr geehrte Damen und Herren,\n\nbei {p_dat} aus Bestellung {order} ist ein Glasteil zerbrochen. So kann ich den Artikel nicht benutzen. Bitte teilen Sie mir mit, wie es weitergeht.\n\nMit freundlichen Grüßen\n{first} {last}",
    ],
    "return": [
        "Hallo,\n\nich möchte {p_acc} aus Bestellung {order} zurückgeben. Der Artikel funktioniert, entspricht aber nicht meinen Erwartungen. Können Sie mir ein Rücksendeetikett schicken?\n\nDanke\n{first} {last}",
        "Guten Tag,\n\nich habe vor ein paar Wochen {p_acc} bei Ihnen gekauft und würde den Artikel gern zurückschicken. Geht das noch? Die Originalverpackung habe ich noch.\n\nMit freundlichen Grüßen\n{first} {last}",
        "Hallo,\n\nbitte stornieren Sie meinen Kauf (Bestellung {order}). Ich habe den Artikel woanders günstiger gefunden. Wie läuft die Rücksendung ab?\n\n{first} {last}",
    ],
    "refund": [
        "Hallo,\n\nich habe den Artikel am {date} zurückgeschickt und laut Sendungsverfolgung ist er bei Ihnen angekommen, aber meine Erstattung habe ich noch nicht erhalten. Können Sie das bitte prüfen?\n\n{first} {last}",
        "Guten Tag,\n\nes ist jetzt über zwei Wochen her, dass ich Bestellung {order} zurückgeschickt habe. Wann werden mir die {amount} erstattet?\n\nDanke\n{first}",
        "Sehr geehrtes Team,\n\nich habe eine E-Mail bekommen, dass meine Rücksendung bearbeitet wurde, aber das Geld ist nicht auf meinem Konto. Auf welches Konto haben Sie erstattet?\n\nFreundliche Grüße\n{first} {last}",
    ],
    "size": [
        "Hallo,\n\nich habe {p_acc} in Größe {size} bestellt, aber die Größe fällt zu klein aus. Kann ich in Größe {size2} umtauschen? Bestellung {order}.\n\nDanke\n{first}",
        "Guten Tag,\n\nder Artikel aus Bestellung {order} fällt zu groß aus, obwohl ich normalerweise {size} trage. Kann ich ihn gegen eine kleinere Größe tauschen, und muss ich den Versand noch einmal bezahlen?\n\nViele Grüße\n{first} {last}",
        "Guten Abend,\n\nSie haben mir Größe {size} statt der bestellten {size2} geschickt. Bitte senden Sie mir die richtige Größe.\n\n{first} {last}",
    ],
    "warranty": [
        "Hallo,\n\nmein Gerät aus Bestellung {order} ({product}) funktioniert seit letzter Woche nicht mehr. Es lässt sich nicht mehr einschalten, obwohl ich eine andere Steckdose probiert habe. Es ist noch in der Garantie. Wie bekomme ich es repariert?\n\nViele Grüße\n{first} {last}",
        "Guten Tag,\n\ndas Gerät ({product}), das ich bei Ihnen gekauft habe, schaltet sich nach ein paar Minuten von selbst ab. Können Sie es im Rahmen der Garantie reparieren oder ersetzen?\n\n{first}",
        "Sehr geehrte Damen und Herren,\n\nschon nach wenigen Monaten macht das Gerät ({product}) laute Geräusche und funktioniert nicht mehr richtig. Ich möchte einen Garantieanspruch geltend machen.\n\nMit freundlichen Grüßen\n{first} {last}",
    ],
    "invoice": [
        "Hallo,\n\nkönnten Sie mir bitte eine Kopie der Rechnung für Bestellung {order} schicken? Ich brauche sie für meine Steuererklärung.\n\nDanke\n{first} {last}",
        "Guten Tag,\n\nich benötige für Bestellung {order} eine Rechnung mit meinem Firmennamen und meiner USt-IdNr. Können Sie die ausstellen?\n\nFirma: {last} GmbH\n\nViele Grüße\n{first} {last}",
        "Guten Morgen,\n\nin meinem Kundenkonto fehlt die Rechnung meiner letzten Bestellung. Können Sie sie mir per E-Mail schicken?\n\n{first}",
    ],
    "address": [
        "Hallo,\n\nich habe gerade Bestellung {order} aufgegeben und gesehen, dass noch meine alte Adresse hinterlegt war. Bitte liefern Sie stattdessen an {street}, {city}. Geht das noch?\n\nDanke\n{first} {last}",
        "Guten Tag,\n\nich ziehe Ende der Woche um. Könnten Sie die Lieferadresse von Bestellung {order} auf {street}, {city} ändern?\n\n{first}",
        "Guten Abend,\n\nich habe mich bei der Hausnummer vertippt. Die richtige Adresse lautet {street}, {city}. Bestellung {order}.\n\nViele Grüße\n{first} {last}",
    ],
    "loyalty": [
        "Hallo,\n\nich habe Bestellung {order} aufgegeben, sehe die Punkte aber noch nicht in meinem Konto. Ist da etwas schiefgegangen?\n\nDanke\n{first} {last}",
        "Guten Tag,\n\nich habe {points} Punkte. Was bekomme ich dafür und wie löse ich sie ein?\n\n{first}",
        "Hallo,\n\nwarum werden einige meiner Punkte als „ausstehend“ angezeigt? Mein Kauf ist schon Wochen her.\n\nViele Grüße\n{first} {last}",
    ],
    "product": [
        "Hallo,\n\nbevor ich bestelle: Hat der Artikel {product} einen EU-Stecker, und liegt eine deutsche Anleitung bei?\n\nDanke\n{first}",
        "Guten Tag,\n\nich interessiere mich für den Artikel {product}. Wie laut ist das Gerät und wie lange ist die Garantie?\n\nViele Grüße\n{first} {last}",
        "Hallo,\n\nwissen Sie, wann der Artikel {product} wieder lieferbar ist? Ich würde gern zwei Stück kaufen.\n\n{first} {last}",
    ],
}

SHORT = {
    "wismo": [
        "Hallo, wo ist meine Bestellung {order}? Die Sendungsverfolgung bewegt sich seit {days} Tagen nicht",
        "hi, meine Bestellung {order} ist immer noch nicht da",
    ],
    "damaged": [
        "Hallo, mein Paket kam kaputt an ({product}, Bestellung {order}). Bekomme ich Ersatz?",
        "Paket war beschädigt, der Artikel hat einen Sprung :( was soll ich tun?",
    ],
    "return": [
        "Hallo, kann ich Bestellung {order} noch zurückschicken?",
        "ich möchte meine Bestellung {order} zurückgeben, wie geht das?",
    ],
    "refund": [
        "hallo, immer noch keine Erstattung für Bestellung {order}, Rücksendung war am {date}",
        "Wann bekomme ich mein Geld für Bestellung {order} zurück?",
    ],
    "size": [
        "hallo, kann ich {p_acc} von Größe {size} in {size2} umtauschen?",
        "falsche Größe geliefert, bestellt war {size2}, gekommen ist {size}",
    ],
    "warranty": [
        "mein Gerät ({product}) geht nicht mehr, ist noch in der Garantie. Bestellung {order}",
        "Hallo, Garantiefrage: das Gerät ist nach ein paar Monaten kaputt",
    ],
    "invoice": [
        "Hallo, können Sie mir die Rechnung zu Bestellung {order} schicken?",
        "brauche eine Rechnungskopie für {order}, danke",
    ],
    "address": [
        "kann ich die Adresse für Bestellung {order} noch ändern? neu: {street}, {city}",
        "Hallo, falsche Adresse bei {order}, richtig wäre {street}",
    ],
    "loyalty": [
        "hallo, wo sind meine Punkte für Bestellung {order}?",
        "wie kann ich meine Punkte einlösen?",
    ],
    "product": [
        "Hallo, ist der Artikel {product} auf Lager?",
        "kurze Frage zum Artikel {product}: ist ein Ladegerät dabei?",
    ],
}

REPLIES = {
    "wismo": [
        "vielen Dank für Ihre Geduld. Ich habe Bestellung {order} bei {carrier} geprüft: Das Paket liegt im regionalen Depot und wird in den nächsten zwei Werktagen zugestellt. Sie können es mit der Sendungsnummer {tracking} verfolgen.\n\nFalls es bis dahin nicht angekommen ist, antworten Sie einfach auf diese Nachricht, dann leite ich sofort einen Nachforschungsauftrag ein.",
        "es tut mir leid, dass Ihre Lieferung länger dauert. {carrier} hat uns eine Verzögerung im Paketzentrum wegen hoher Sendungsmengen bestätigt. Ihr Paket ({tracking}) ist wieder unterwegs und sollte bis {eta} bei Ihnen sein.",
    ],
    "damaged": [
        "es tut mir wirklich leid, dass die Lieferung so bei Ihnen angekommen ist. Könnten Sie uns ein oder zwei Fotos vom Schaden und vom Versandetikett auf dem Karton schicken? Sobald wir sie haben, veranlasse ich einen kostenlosen Ersatz.",
        "vielen Dank für die Fotos – der Schaden ist eindeutig beim Transport entstanden. Ein Ersatz verlässt heute unser Lager. Den beschädigten Artikel müssen Sie nicht zurückschicken; bitte entsorgen Sie ihn fachgerecht.",
    ],
    "return": [
        "selbstverständlich. Ihre Bestellung {order} ist noch innerhalb der 30-tägigen Rückgabefrist (bis {date}). Im Anhang finden Sie ein frankiertes Rücksendeetikett – verpacken Sie den Artikel am besten im Originalkarton, kleben Sie das Etikett auf und geben Sie das Paket in einer {carrier}-Filiale ab. Sobald es in unserem Lager ist, erstatten wir Ihnen den Betrag.",
        "danke für Ihre Nachricht. Ich habe die Rücksendung {rma} angelegt, das Etikett finden Sie im Anhang. Bitte geben Sie das Paket innerhalb von 14 Tagen ab. Die Erstattung erfolgt, sobald unser Lager den Artikel geprüft hat, in der Regel innerhalb von 3 Werktagen.",
    ],
    "refund": [
        "ich habe nachgesehen: Ihre Rücksendung ist am {date} in unserem Lager eingegangen, und die Erstattung über {amount} wurde heute auf das Zahlungsmittel Ihrer Bestellung angewiesen. Banken brauchen meist 3–5 Werktage, bis sie sichtbar ist.",
        "entschuldigen Sie bitte die Wartezeit. Ihr Paket ist bei uns angekommen, die Rücksendung war aber noch nicht gebucht – das war unser Fehler. Ich habe die Erstattung über {amount} soeben veranlasst; Sie erhalten gleich eine Bestätigung per E-Mail.",
    ],
    "size": [
        "das ist überhaupt kein Problem. Ich habe den Artikel in Größe {size2} für Sie reserviert und ein kostenloses Rücksendeetikett für die jetzige Größe angehängt. Die neue Größe geht raus, sobald {carrier} Ihr Paket scannt – meist noch am selben Tag.",
        "entschuldigen Sie bitte die Verwechslung. Größe {size2} ist heute kostenlos zu Ihnen unterwegs (Sendungsnummer {tracking}). Bitte schicken Sie die falsche Größe mit dem beiliegenden Etikett zurück.",
    ],
    "warranty": [
        "das tut mir leid zu hören. Ihr Gerät hat noch Garantie bis zum {date}. Ich habe den Reparaturauftrag {rma} angelegt und ein kostenloses Versandetikett angehängt. Bitte schicken Sie das Gerät ohne Zubehör ein; unser Servicepartner braucht in der Regel 7–10 Werktage.",
        "danke für die Details. Könnten Sie mir noch die Seriennummer (auf dem Aufkleber an der Unterseite) nennen und sagen, ob der Fehler jedes Mal auftritt? Dann entscheide ich, ob wir reparieren oder Ihnen direkt ein neues Gerät schicken.",
    ],
    "invoice": [
        "sehr gern – im Anhang finden Sie die Rechnung zu Bestellung {order} als PDF. Alle Rechnungen können Sie auch in Ihrem Kundenkonto unter „Meine Bestellungen“ herunterladen.",
        "ich habe die Rechnung mit Ihrem Firmennamen und Ihrer USt-IdNr. neu ausgestellt und hier angehängt. Die ursprüngliche Rechnung wurde storniert, gültig ist nur die neue.",
    ],
    "address": [
        "danke, dass Sie sich so schnell gemeldet haben. Ihre Bestellung hatte das Lager noch nicht verlassen, daher habe ich die Lieferadresse auf {street}, {city} geändert. Sie erhalten eine neue Versandbestätigung.",
        "Ihr Paket wurde bereits an {carrier} übergeben, daher kann ich die Adresse bei uns nicht mehr ändern. Ich habe {carrier} gebeten, es an {street}, {city} umzuleiten; die Bestätigung kommt meist innerhalb eines Tages. Sie können die Umleitung auch selbst mit der Sendungsnummer {tracking} beauftragen.",
    ],
    "loyalty": [
        "Ihre Punkte für Bestellung {order} sind da, sie sind nur noch ausstehend: Punkte für einen Einkauf werden bestätigt, sobald die 30-tägige Rückgabefrist abgelaufen ist ({date}). Danach können Sie sie sofort einlösen.",
        "mit {points} Punkten können Sie schon eine Prämie wählen – zum Beispiel kostenlosen Versand (300 Punkte) oder einen 5-€-Gutschein (500 Punkte). Ich habe Ihnen den Link zu Ihrer Treueseite per E-Mail geschickt; dort lösen Sie mit einem Klick ein.",
    ],
    "product": [
        "ja, der Artikel {product} hat einen EU-Stecker, und es liegt eine gedruckte Anleitung auf Deutsch, Englisch und Türkisch bei. Die Garantie beträgt 24 Monate ab Lieferung.",
        "der Artikel {product} ist voraussichtlich ab dem {date} wieder vorrätig. Wenn Sie möchten, gebe ich Ihnen Bescheid, sobald er wieder verfügbar ist.",
    ],
}

LATE_RETURN = [
    "die 30-tägige Rückgabefrist für Bestellung {order} ist am {date} abgelaufen, eine reguläre Rücksendung ist daher leider nicht mehr möglich. Aus Kulanz nehme ich den Artikel aber einmalig zurück, wenn er unbenutzt und originalverpackt ist – Sie erhalten dann einen Gutschein über den vollen Betrag. Wäre das für Sie in Ordnung?",
]

FOLLOW_UPS = {
    "wismo": [
        "Danke fürs Nachsehen. Das Paket ist immer noch nicht da und die Sendungsverfolgung hat sich nicht geändert. Wie geht es jetzt weiter?",
        "Leider ist bis heute nichts angekommen. Können Sie mir stattdessen einen Ersatz schicken?",
    ],
    "damaged": [
        "Anbei die Fotos vom Schaden und vom Etikett. Ich hoffe, das hilft.",
        "Danke! Muss ich für die Lieferung zu Hause sein oder kann sie an eine Packstation gehen?",
    ],
    "return": [
        "Danke, ich habe das Paket heute abgegeben. Wann bekomme ich mein Geld zurück?",
        "Das Etikett lässt sich nicht richtig ausdrucken. Könnten Sie es noch einmal als PDF schicken?",
    ],
    "refund": [
        "Ich habe mit PayPal bezahlt, nicht mit Karte. Geht das Geld trotzdem an PayPal zurück?",
        "Jetzt sind fünf Werktage vergangen und ich sehe immer noch nichts.",
    ],
    "size": [
        "Super, ich habe die alte Größe heute früh zurückgeschickt.",
        "Ist Größe {size2} sicher vorrätig? Ich brauche sie nächste Woche für eine Reise.",
    ],
    "warranty": [
        "Die Seriennummer ist {tracking}. Ja, der Fehler tritt jedes Mal auf.",
        "Ich habe das Gerät heute eingeschickt. Bekomme ich in der Zwischenzeit ein Ersatzgerät?",
    ],
    "invoice": [
        "Danke. Könnten Sie noch die Firmenanschrift ergänzen? Sie weicht von der Lieferadresse ab.",
        "Angekommen, vielen Dank! Eine Frage noch: Kann auf der Rechnung auch das Bestelldatum stehen?",
    ],
    "address": [
        "Vielen Dank! Bleibt der Liefertermin gleich?",
        "{carrier} sagt, eine Umleitung ist nicht möglich. Was nun?",
    ],
    "loyalty": [
        "Ok, danke. Verfallen die Punkte eigentlich?",
        "Ich habe den Gutschein eingelöst, aber wo gebe ich den Code ein?",
    ],
    "product": [
        "Super, und kann ich den Artikel zurückgeben, wenn er mir nicht gefällt?",
        "Ja, bitte geben Sie mir Bescheid, wenn der Artikel wieder da ist.",
    ],
}

CLOSINGS = {
    "wismo": [
        "ich habe bei {carrier} einen Nachforschungsauftrag gestellt und, damit Sie nicht länger warten müssen, schicken wir Ihnen heute per Express einen Ersatz. Die neue Sendungsnummer erhalten Sie per E-Mail. Falls das erste Paket doch noch kommt, können Sie die Annahme einfach verweigern.",
        "{carrier} hat das Paket inzwischen als verloren bestätigt. Ich habe Ihnen den vollen Betrag von {amount} auf Ihr ursprüngliches Zahlungsmittel erstattet; das dauert in der Regel 3–5 Werktage. Entschuldigen Sie bitte die Umstände.",
    ],
    "damaged": [
        "danke, mehr brauchen wir nicht. Ihr Ersatz ist mit der Sendungsnummer {tracking} unterwegs. Falls damit etwas nicht stimmt, melden Sie sich gern.",
        "{carrier} stellt an Ihre Adresse zu; wenn Sie nicht da sind, wird das Paket in der nächsten Packstation hinterlegt. Der Ersatz sollte bis {eta} ankommen.",
    ],
    "return": [
        "Ihre Rücksendung ist in unserem Lager angekommen und alles ist in Ordnung. Ich habe Ihnen {amount} auf Ihr ursprüngliches Zahlungsmittel erstattet; je nach Bank dauert es 3–5 Werktage, bis der Betrag sichtbar ist.",
        "hier ist das Etikett noch einmal als PDF. Sobald das Paket unterwegs ist, müssen Sie nichts weiter tun – wir melden uns, wenn die Erstattung veranlasst ist.",
    ],
    "refund": [
        "ja, die Erstattung geht immer an das ursprüngliche Zahlungsmittel, also auf Ihr PayPal-Konto – dort meist sogar schneller als bei Karten.",
        "ich habe unser Zahlungsteam gebeten nachzusehen: Die Erstattung über {amount} wurde am {date} von der Bank mit der Referenz {rma} bestätigt. Falls Sie sie noch nicht sehen, kann Ihre Bank sie mit dieser Referenz nachverfolgen.",
    ],
    "size": [
        "Ihr Umtauschpaket hat unser Lager verlassen, Sendungsnummer {tracking}. Viel Freude damit!",
        "ja, sie ist für Sie reserviert und schon verpackt. Das Paket sollte bis {eta} ankommen, also rechtzeitig vor Ihrer Reise.",
    ],
    "warranty": [
        "unser Servicepartner hat das Gerät geprüft: Die Steuerplatine war defekt und wurde ersetzt. Es ist auf dem Rückweg zu Ihnen (Sendungsnummer {tracking}), und auf die Reparatur gibt es weitere 6 Monate Garantie.",
        "da dieser Fehler bei dieser Charge bekannt ist, reparieren wir nicht – ein brandneues Gerät ist heute zu Ihnen unterwegs. Das alte können Sie behalten, bis das neue da ist, und dann mit demselben Etikett zurückschicken.",
    ],
    "invoice": [
        "erledigt – die korrigierte Rechnung mit Ihrer Firmenanschrift und dem Bestelldatum finden Sie im Anhang.",
        "gern geschehen! Auf der Rechnung steht jetzt auch das Bestelldatum; das neue PDF finden Sie im Anhang.",
    ],
    "address": [
        "ja, der Liefertermin bleibt gleich – das Paket sollte bis {eta} ankommen.",
        "dann kommt das Paket zu uns zurück, und ich schicke es Ihnen sofort nach Eingang kostenlos an {street}, {city}. Ich behalte das für Sie im Blick.",
    ],
    "loyalty": [
        "Punkte verfallen erst nach 12 Monaten ohne jede Aktivität in Ihrem Konto – jeder Einkauf und jede Einlösung setzt die Frist neu. Wir erinnern Sie außerdem 30 Tage vorher.",
        "den Gutscheincode geben Sie an der Kasse im Feld „Gutschein“ ein, direkt über den Zahlungsarten. Jeder Code ist einmal gültig.",
    ],
    "product": [
        "selbstverständlich – Sie haben ab Lieferung 30 Tage Zeit für eine Rückgabe, ohne Angabe von Gründen, und das Rücksendeetikett ist kostenlos.",
        "ich habe es mir notiert. Sie erhalten eine E-Mail, sobald der Artikel {product} wieder vorrätig ist.",
    ],
}

NOTES = {
    "wismo": [
        "Nachforschungsauftrag bei {carrier} gestellt, Referenz {tracking}. In 48 h erneut prüfen.",
        "Paket hängt seit dem Streik im Paketzentrum. Express-Ersatz angeboten, falls es sich bis Freitag nicht bewegt.",
    ],
    "damaged": [
        "Fotos erhalten, Transportschaden eindeutig. Schadensmeldung bei {carrier} eingereicht.",
        "Schon der dritte beschädigte Artikel dieser Charge diese Woche – Lager gebeten, die Verpackung zu prüfen.",
    ],
    "return": [
        "Rücksendung {rma} angelegt, Etikett verschickt. Artikel laut Kunde unbenutzt.",
        "Zweite Rücksendung in diesem Jahr – im Rahmen der Richtlinie, ok.",
    ],
    "refund": [
        "Erstattung {rma} über {amount} angewiesen. Lager hatte die Rücksendung nicht gebucht – an die Logistik gemeldet.",
        "Nur Teilerstattung: Zubehör fehlte in der Rücksendung.",
    ],
    "size": [
        "Umtausch {size} → {size2} gebucht, Bestand geprüft.",
        "Dieses Modell fällt klein aus – diesen Monat schon mehrere Umtausche. Größenhinweis auf der Produktseite angeregt.",
    ],
    "warranty": [
        "Reparaturauftrag {rma} beim Servicepartner eröffnet.",
        "Bekannter Fehler in Charge 2023-11: Austausch statt Reparatur (von der Teamleitung freigegeben).",
    ],
    "invoice": [
        "Rechnung mit USt-IdNr. neu ausgestellt, Original in der Buchhaltung storniert.",
        "Im Kundenkonto fehlt die Rechnung – bekanntes Sync-Problem mit der Buchhaltung, gemeldet.",
    ],
    "address": [
        "Adresse im Shopsystem vor der Kommissionierung geändert.",
        "Umleitung bei {carrier} beantragt, Ref. {tracking}.",
    ],
    "loyalty": [
        "Punkte ausstehend bis Ende der Rückgabefrist – Kunde informiert.",
        "Kulanzpunkte für den Ärger mit der letzten Bestellung gutgeschrieben.",
    ],
    "product": [
        "Frage vor dem Kauf, noch keine Bestellung.",
        "Produktteam nach dem Liefertermin gefragt.",
    ],
}

GREETING = "Hallo {first},"
SIGN_OFF = "Viele Grüße\n{agent}\nKundenservice"
THANKS = [
    "Vielen Dank, das ist super!",
    "Perfekt, danke für die schnelle Hilfe.",
    "Danke, damit ist alles geklärt.",
    "Okay, herzlichen Dank!",
]
# Was die Agentin oder der Agent über ein Telefonat oder einen Besuch festhält (die erste
# Nachricht des Tickets, das sie selbst öffnen), in der eigenen Sprache.
CALL = "Telefonat mit {first} {last}: {summary}"
VISIT = "{first} {last} war im Laden: {summary}"
SUMMARIES = {
    "wismo": "Paket zu Bestellung {order} noch nicht da; Sendung {tracking} bei {carrier} geprüft, liegt im Depot.",
    "damaged": "Bestellung {order} beschädigt angekommen; Ersatz veranlasst, nichts zurückzuschicken.",
    "return": "möchte Bestellung {order} zurückgeben; Rücksendung {rma} angelegt, Etikett per E-Mail geschickt.",
    "refund": "Frage zur Erstattung für Bestellung {order}; Erstattung über {amount} bestätigt.",
    "size": "braucht Größe {size2} statt {size}; Umtausch gebucht.",
    "warranty": "Gerät aus Bestellung {order} defekt; Reparaturauftrag {rma} eröffnet.",
    "invoice": "brauchte eine Rechnungskopie zu Bestellung {order}; per E-Mail geschickt.",
    "address": "neue Lieferadresse für Bestellung {order}: {street}, {city}. Geändert.",
    "loyalty": "Frage zum Einlösen der Treuepunkte; Prämien erklärt.",
    "product": "Fragen zum Artikel {product} vor dem Kauf; beantwortet.",
}

CSAT_COMMENTS = {
    "happy": [
        "Schnell und freundlich, danke!",
        "Problem mit einer E-Mail gelöst. Toller Service.",
        "Sehr hilfsbereit, danke an das ganze Team.",
        "Schneller Ersatz, sehr zufrieden.",
    ],
    "neutral": [
        "Ok, hätte aber schneller gehen können.",
        "Am Ende gut, aber ich musste zweimal nachfragen.",
    ],
    "unhappy": [
        "Es hat viel zu lange gedauert, bis ich eine Antwort bekam.",
        "Ich musste das Problem dreimal erklären.",
        "Nach zwei Wochen immer noch keine Erstattung.",
        "Der Ersatz kam auch beschädigt an.",
    ],
}
NPS_COMMENTS = {
    "promoter": [
        "Tolle Produkte und schnelle Lieferung.",
        "Ich bestelle immer hier und hatte nie ein Problem.",
        "Gute Preise, schneller Versand.",
    ],
    "passive": [
        "Die Lieferung hat etwas lange gedauert.",
        "Gut, aber die Verpackung könnte besser sein.",
    ],
    "detractor": [
        "Das Paket kam zu spät und beschädigt an.",
        "Viel zu viel Verpackung und die Lieferung war verspätet.",
        "Der Kundenservice war schwer zu erreichen.",
    ],
}

RECOVERY_REPLIES = [
    "ich leite das Kundenservice-Team und habe Ihre Bewertung gelesen. Es tut mir leid, dass wir Sie enttäuscht haben. Als Entschuldigung habe ich Ihnen die Versandkosten erstattet, und Ihre nächste Bestellung ist versandkostenfrei. Wenn noch etwas offen ist, antworten Sie einfach auf diese E-Mail – sie landet direkt bei mir.",
    "danke für Ihre ehrliche Bewertung. Sie haben recht: Das hat viel zu lange gedauert. Ich habe Ihren Fall mit dem Team besprochen, damit das nicht wieder passiert, und möchte es gern wiedergutmachen – melden Sie sich bitte, falls noch etwas offen ist.",
]
RECOVERY_THANKS = [
    "Danke, dass Sie sich persönlich gemeldet haben. Jetzt ist alles gut.",
    "Danke, das weiß ich zu schätzen. Alles in Ordnung.",
]
RECOVERY_NOTES = [
    "Kundin angerufen, entschuldigt, Versandkosten erstattet.",
    "Kunde mit der Kulanz zufrieden.",
    "Mit dem Kunden gesprochen; Problem gelöst, bestellt wieder.",
]
GOODWILL_REASONS = [
    "Entschuldigung für die verspätete Lieferung",
    "Entschuldigung für das beschädigte Paket",
    "Danke für Ihre Geduld",
]
CUSTOMER_NOTES = [
    "Möchte am liebsten per WhatsApp kontaktiert werden.",
    "Stammkunde seit Jahren, immer sehr freundlich.",
    "Schwerhörig – bitte schreiben statt anrufen.",
    "Bestellt für ihre Mutter; die Lieferadresse weicht oft ab.",
]
