"""Türkçe: müşterilerin yazdıkları ve ekibin yanıtları.

Ürün adı ({p}) cümlede yalın hâliyle geçer (özne, belirtisiz nesne ya da tamlamanın ilk
sözcüğü); ek almaz, böylece her ürün adıyla dilbilgisi doğru kalır."""

# ruff: noqa: E501  (one message per line reads better than wrapped fragments)

SUBJECTS = {
    "wismo": [
        "{order} numaralı siparişim nerede?",
        "{order} numaralı sipariş hâlâ teslim edilmedi",
        "Kargo takibi {days} gündür güncellenmiyor",
    ],
    "damaged": ["{product} hasarlı geldi", "Teslimatta kırık – sipariş {order}", "Hasarlı paket"],
    "return": [
        "{order} numaralı sipariş için iade talebi",
        "Ürünü iade etmek istiyorum",
        "İade nasıl yapılır?",
    ],
    "refund": [
        "{order} numaralı siparişin para iadesi?",
        "Para iademi hâlâ bekliyorum",
        "Param nerede?",
    ],
    "size": ["{size} beden küçük geldi", "Farklı bedenle değişim", "Yanlış beden – değişim lütfen"],
    "warranty": [
        "Garanti talebi: {product}",
        "{product} çalışmayı bıraktı",
        "Birkaç ay sonra arıza",
    ],
    "invoice": [
        "{order} numaralı siparişin faturası",
        "Kurumsal fatura gerekiyor",
        "Fatura kopyası rica ediyorum",
    ],
    "address": [
        "{order} için teslimat adresini değiştirme",
        "Siparişimde yanlış adres",
        "Adresi hâlâ değiştirebilir miyim?",
    ],
    "loyalty": [
        "Sadakat puanlarım hakkında soru",
        "Hesabımda puanlar eksik",
        "Puanlarımı nasıl kullanırım?",
    ],
    "product": ["{product} uyumlu mu?", "{product} hakkında soru", "Satın almadan önce: {product}"],
}

OPENINGS = {
    "wismo": [
        'Merhaba,\n\n{date} tarihinde {order} numaralı siparişi verdim ama ürün hâlâ gelmedi. {carrier} takip sayfası {days} gündür "yolda" gösteriyor. Neler olduğunu kontrol edebilir misiniz?\n\nTeşekkürler,\n{first} {last}',
        "İyi günler,\n\n{date} tarihinde verdiğim {order} numaralı sipariş henüz ulaşmadı. {p} hafta sonu için lazım. Ne zaman teslim edilecek?\n\nSaygılarımla,\n{first} {last}",
        "Merhaba,\n\n{tracking} takip numarası, paket deponuzdan çıktığından beri hiçbir hareket göstermiyor. {order} numaralı siparişim kayboldu mu?\n\n{first}",
    ],
    "damaged": [
        "Merhaba,\n\n{order} numaralı siparişim bugün geldi ama ürün hasarlı: gövdesi çatlamış ve bir köşesi ezik. Kutu, kurye teslim ettiğinde zaten yırtıktı. Fotoğrafları ekledim. Nasıl ilerleyebiliriz?\n\nSaygılarımla,\n{first} {last}",
        "Merhaba,\n\nBu sabah {p} kutusunu açtım ve ürün çalışmıyor; kargoda düşürülmüş gibi, içinden tıkırtı sesi geliyor. Yenisini rica ediyorum.\n\n{first}",
        "Sayın yetkili,\n\n{order} numaralı siparişle gelen ürünün cam parçası kırık. Bu şekilde kullanamıyorum. Lütfen nasıl ilerleyeceğimi bildirin.\n\nİyi çalışmalar,\n{first} {last}",
    ],
    "return": [
        "Merhaba,\n\n{order} numaralı siparişteki ürünü iade etmek istiyorum. Ürün çalışıyor ama beklediğim gibi değil. Bana bir iade etiketi gönderebilir misiniz?\n\nTeşekkürler,\n{first} {last}",
        "Merhaba,\n\nBirkaç hafta önce sizden {p} aldım ve geri göndermek istiyorum. Bu hâlâ mümkün mü? Orijinal ambalajı duruyor.\n\nSaygılarımla,\n{first}",
        "İyi günler,\n\nLütfen {order} numaralı siparişimi iptal edin, ürünü başka yerde daha ucuza buldum. İade süreci nasıl işliyor?\n\n{first} {last}",
    ],
    "refund": [
        "Merhaba,\n\nÜrünü {date} tarihinde geri gönderdim ve takip bilgisine göre size ulaştı, ama para iadem hâlâ yapılmadı. Kontrol edebilir misiniz?\n\n{first} {last}",
        "Merhaba,\n\n{order} numaralı siparişi iade edeli iki haftadan fazla oldu. {amount} ne zaman iade edilecek?\n\nTeşekkürler,\n{first}",
        "Sayın ilgili,\n\nİademin işleme alındığına dair bir e-posta aldım ama para hesabıma geçmedi. Hangi hesaba iade ettiniz?\n\nSaygılarımla,\n{first} {last}",
    ],
    "size": [
        "Merhaba,\n\n{size} beden {p} sipariş ettim ama küçük geldi. {size2} bedenle değiştirebilir miyim? Sipariş {order}.\n\nTeşekkürler,\n{first}",
        "Merhaba,\n\nNormalde {size} giymeme rağmen {order} numaralı siparişteki ürün büyük geldi. Daha küçük bir bedenle değiştirebilir miyim, kargo ücretini tekrar ödemem gerekir mi?\n\nİyi günler,\n{first} {last}",
        "İyi akşamlar,\n\nSipariş ettiğim {size2} beden yerine {size} beden gönderilmiş. Lütfen doğru bedeni gönderin.\n\n{first} {last}",
    ],
    "warranty": [
        "Merhaba,\n\n{order} numaralı siparişle aldığım {p} geçen hafta çalışmayı bıraktı. Başka bir prizde denememe rağmen artık açılmıyor. Hâlâ garanti kapsamında. Nasıl tamir ettirebilirim?\n\nSaygılarımla,\n{first} {last}",
        "Merhaba,\n\nSizden aldığım {p} arıza yapıyor: birkaç dakika sonra kendi kendine kapanıyor. Garanti kapsamında tamir veya değişim yapabilir misiniz?\n\n{first}",
        "Sayın yetkili,\n\nSadece birkaç ay sonra {p} yüksek ses çıkarmaya başladı ve artık düzgün çalışmıyor. Garanti talebinde bulunmak istiyorum.\n\nİyi çalışmalar,\n{first} {last}",
    ],
    "invoice": [
        "Merhaba,\n\n{order} numaralı siparişin faturasının bir kopyasını gönderebilir misiniz? Vergi beyannamem için gerekiyor.\n\nTeşekkürler,\n{first} {last}",
        "Merhaba,\n\n{order} numaralı sipariş için şirket unvanım ve vergi numaramla bir fatura gerekiyor. Düzenleyebilir misiniz?\n\nŞirket: {last} Ltd. Şti.\n\nİyi günler,\n{first} {last}",
        "Günaydın,\n\nSon siparişimin faturası müşteri hesabımda görünmüyor. E-postayla gönderebilir misiniz?\n\n{first}",
    ],
    "address": [
        "Merhaba,\n\n{order} numaralı siparişi az önce verdim ve eski adresimin kullanıldığını fark ettim. Lütfen bunun yerine {street}, {city} adresine teslim edin. Bu hâlâ mümkün mü?\n\nTeşekkürler,\n{first} {last}",
        "Merhaba,\n\nHafta sonu taşınıyorum. {order} numaralı siparişin teslimat adresini {street}, {city} olarak değiştirebilir misiniz?\n\n{first}",
        "İyi akşamlar,\n\nTeslimat adresimde kapı numarasını yanlış yazmışım. Doğru adres: {street}, {city}. Sipariş {order}.\n\nSaygılarımla,\n{first} {last}",
    ],
    "loyalty": [
        "Merhaba,\n\n{order} numaralı siparişi verdim ama puanları hesabımda henüz göremiyorum. Bir sorun mu var?\n\nTeşekkürler,\n{first} {last}",
        "Merhaba,\n\n{points} puanım var. Bunlarla ne alabilirim ve nasıl kullanırım?\n\n{first}",
        'İyi günler,\n\nNeden bazı puanlarım "beklemede" görünüyor? Alışverişimin üzerinden haftalar geçti.\n\nSaygılarımla,\n{first} {last}',
    ],
    "product": [
        "Merhaba,\n\nSipariş vermeden önce sormak istiyorum: {product} Avrupa fişiyle mi geliyor ve Türkçe kullanım kılavuzu var mı?\n\nTeşekkürler,\n{first}",
        "Merhaba,\n\n{product} ile ilgileniyorum. Ne kadar sessiz çalışıyor ve garanti süresi ne kadar?\n\nİyi günler,\n{first} {last}",
        "İyi günler,\n\n{product} ne zaman tekrar stoğa girer? İki tane almak istiyorum.\n\n{first} {last}",
    ],
}

SHORT = {
    "wismo": [
        "Merhaba, {order} numaralı siparişim nerede? Kargo {days} gündür hareket etmiyor",
        "merhaba, siparişim hâlâ gelmedi. sipariş no {order}",
    ],
    "damaged": [
        "Merhaba, ürün kırık geldi. Sipariş {order}. Yenisini gönderebilir misiniz?",
        "paket hasarlıydı, ürün çatlak :( ne yapmalıyım",
    ],
    "return": [
        "Merhaba, {order} numaralı siparişi hâlâ iade edebilir miyim?",
        "{order} siparişimi geri göndermek istiyorum, nasıl yapabilirim?",
    ],
    "refund": [
        "merhaba, {order} siparişi için hâlâ iade yok, {date} tarihinde geri gönderdim",
        "{order} siparişinin parasını ne zaman geri alacağım?",
    ],
    "size": [
        "merhaba, {size} bedeni {size2} ile değiştirebilir miyim?",
        "yanlış beden geldi, {size2} sipariş ettim {size} geldi",
    ],
    "warranty": [
        "{p} çalışmıyor, hâlâ garantide. sipariş {order}",
        "Merhaba, garanti sorusu: ürün birkaç ay sonra bozuldu",
    ],
    "invoice": [
        "Merhaba, {order} siparişinin faturasını gönderebilir misiniz?",
        "{order} için fatura kopyası lazım, teşekkürler",
    ],
    "address": [
        "{order} siparişinin adresini değiştirebilir miyim? yeni adres: {street}, {city}",
        "Merhaba, {order} siparişinde adres yanlış, doğrusu {street}",
    ],
    "loyalty": [
        "merhaba, {order} siparişinin puanları nerede?",
        "puanlarımı nasıl kullanabilirim?",
    ],
    "product": [
        "Merhaba, {product} stokta var mı?",
        "{product} hakkında kısa bir soru: şarj aleti dahil mi?",
    ],
}

REPLIES = {
    "wismo": [
        "Sabrınız için teşekkür ederiz. {order} numaralı siparişinizi {carrier} ile kontrol ettim: paket bölge deposunda ve önümüzdeki iki iş günü içinde teslim edilecek. {tracking} takip numarasıyla takip edebilirsiniz.\n\nO zamana kadar ulaşmazsa bu mesaja yanıt vermeniz yeterli, hemen kargo firmasıyla araştırma başlatırım.",
        "Teslimatınızın beklenenden uzun sürdüğü için özür dilerim. {carrier}, yoğunluk nedeniyle aktarma merkezinde gecikme olduğunu doğruladı. Paketiniz ({tracking}) yeniden yola çıktı ve {eta} tarihine kadar size ulaşmalı.",
    ],
    "damaged": [
        "Ürünün bu şekilde ulaşmasına gerçekten çok üzüldüm. Hasarın ve kutunun üzerindeki kargo etiketinin bir iki fotoğrafını gönderebilir misiniz? Fotoğrafları alır almaz ücretsiz olarak yenisini gönderiyorum.",
        "Fotoğraflar için teşekkürler, hasarın kargoda oluştuğu açık. Yenisi bugün depomuzdan çıkıyor. Hasarlı ürünü geri göndermenize gerek yok.",
    ],
    "return": [
        "Elbette. {order} numaralı siparişiniz hâlâ 30 günlük iade süresi içinde ({date} tarihine kadar). Ekte ücretsiz iade etiketini bulabilirsiniz; ürünü mümkünse orijinal kutusuna koyun, etiketi yapıştırın ve herhangi bir {carrier} şubesine teslim edin. Paket depomuza ulaşır ulaşmaz ödemenizi iade ediyoruz.",
        "Bilgi verdiğiniz için teşekkürler. {rma} numaralı iade kaydını oluşturdum, etiket ekte. Lütfen paketi 14 gün içinde kargoya verin. Depomuz ürünü kontrol eder etmez, genellikle 3 iş günü içinde iadeniz yapılır.",
    ],
    "refund": [
        "Kontrol ettim: iadeniz {date} tarihinde depomuza ulaştı ve {amount} tutarındaki iade bugün siparişte kullandığınız ödeme yöntemine gönderildi. Bankaların bunu göstermesi genellikle 3–5 iş günü sürer.",
        "Beklettiğimiz için özür dilerim. Paketiniz bize ulaşmış ama iade henüz kaydedilmemişti; bu bizim hatamız. {amount} tutarındaki iadeyi az önce başlattım, kısa süre içinde e-postayla onay alacaksınız.",
    ],
    "size": [
        "Hiç sorun değil. {size2} bedeni sizin için ayırdım ve elinizdeki ürün için ücretsiz iade etiketini ekledim. {carrier} paketinizi okuttuğu anda yeni beden yola çıkar, genellikle aynı gün.",
        "Karışıklık için özür dilerim. {size2} beden bugün ücretsiz olarak yola çıktı (takip no {tracking}). Lütfen yanlış bedeni paketteki etiketle geri gönderin.",
    ],
    "warranty": [
        "Bunu duyduğuma üzüldüm. Ürününüz {date} tarihine kadar garanti kapsamında. {rma} numaralı tamir kaydını oluşturdum ve ücretsiz kargo etiketini ekledim. Lütfen cihazı aksesuarsız gönderin; servis ortağımız genellikle 7–10 iş günü içinde sonuçlandırır.",
        "Bilgiler için teşekkürler. Cihazın altındaki etikette yazan seri numarasını ve arızanın her seferinde olup olmadığını yazabilir misiniz? Böylece tamir mi edeceğimize yoksa doğrudan yenisini mi göndereceğimize karar verebilirim.",
    ],
    "invoice": [
        'Elbette, {order} numaralı siparişin faturasını PDF olarak ekte bulabilirsiniz. Tüm faturalarınızı müşteri hesabınızda "Siparişlerim" bölümünden de indirebilirsiniz.',
        "Faturayı şirket unvanınız ve vergi numaranızla yeniden düzenleyip ekledim. Önceki fatura iptal edildi, yalnızca yenisi geçerlidir.",
    ],
    "address": [
        "Zamanında haber verdiğiniz için teşekkürler. Siparişiniz henüz depodan çıkmamıştı, teslimat adresini {street}, {city} olarak değiştirdim. Yeni bir kargo bildirimi alacaksınız.",
        "Paketiniz {carrier} firmasına teslim edilmiş, bu yüzden adresi bizim tarafımızda artık değiştiremiyorum. {carrier} firmasından paketi {street}, {city} adresine yönlendirmesini istedim; genellikle bir gün içinde onaylıyorlar. {tracking} takip numarasıyla yönlendirmeyi kendiniz de talep edebilirsiniz.",
    ],
    "loyalty": [
        "{order} numaralı siparişinizin puanları hesabınızda, sadece henüz beklemede: bir alışverişin puanları 30 günlük iade süresi dolduğunda ({date}) onaylanır. Sonrasında hemen kullanabilirsiniz.",
        "{points} puanla şimdiden bir ödül seçebilirsiniz; örneğin ücretsiz kargo (300 puan) veya 5 € hediye çeki (500 puan). Sadakat sayfanızın bağlantısını e-postayla gönderdim, oradan tek tıkla kullanabilirsiniz.",
    ],
    "product": [
        "Evet, {product} Avrupa fişiyle ve Türkçe, Almanca ve İngilizce basılı kılavuzla geliyor. Garanti süresi teslimattan itibaren 24 aydır.",
        "{product} ürününün {date} tarihinde tekrar stoğa girmesi bekleniyor. İsterseniz tekrar satışa çıktığında size haber verebilirim.",
    ],
}

LATE_RETURN = [
    "{order} numaralı siparişin 30 günlük iade süresi {date} tarihinde doldu, bu yüzden normal iade artık mümkün değil. Ancak bir defaya mahsus, ürün kullanılmamış ve orijinal ambalajındaysa geri alabilirim; karşılığında tutarın tamamı kadar hediye çeki alırsınız. Sizin için uygun mu?",
]

FOLLOW_UPS = {
    "wismo": [
        "Kontrol ettiğiniz için teşekkürler. Paket hâlâ gelmedi ve takip bilgisi değişmedi. Şimdi ne olacak?",
        "Maalesef bugüne kadar hiçbir şey gelmedi. Bunun yerine yenisini gönderebilir misiniz?",
    ],
    "damaged": [
        "Hasarın ve etiketin fotoğrafları ekte. Umarım yardımcı olur.",
        "Teşekkürler! Teslimat için evde olmam gerekiyor mu, yoksa kargo dolabına bırakılabilir mi?",
    ],
    "return": [
        "Teşekkürler, paketi bugün kargoya verdim. Paramı ne zaman geri alırım?",
        "Etiket düzgün yazdırılmıyor, PDF olarak tekrar gönderebilir misiniz?",
    ],
    "refund": [
        "Kartla değil PayPal ile ödedim. Para yine de PayPal'a mı dönecek?",
        "Beş iş günü geçti ve hâlâ hiçbir şey görmüyorum.",
    ],
    "size": [
        "Harika, eskisini bu sabah geri gönderdim.",
        "{size2} beden kesin stokta var mı? Gelecek hafta bir seyahat için lazım.",
    ],
    "warranty": [
        "Seri numarası {tracking}. Evet, her seferinde oluyor.",
        "Cihazı bugün gönderdim. Bu süre içinde yedek bir cihaz alabilir miyim?",
    ],
    "invoice": [
        "Teşekkürler. Şirket adresini de ekleyebilir misiniz? Teslimat adresinden farklı.",
        "Aldım, çok teşekkürler! Bir şey daha: faturada sipariş tarihi de yazabilir mi?",
    ],
    "address": [
        "Teşekkürler! Teslimat tarihi aynı kalacak mı?",
        "{carrier} yönlendirme yapamayacağını söylüyor. Şimdi ne olacak?",
    ],
    "loyalty": [
        "Tamam, teşekkürler. Puanların süresi doluyor mu?",
        "Hediye çekini aldım ama kodu nereye gireceğim?",
    ],
    "product": [
        "Harika, beğenmezsem iade edebilir miyim?",
        "Evet lütfen, tekrar geldiğinde haber verin.",
    ],
}

CLOSINGS = {
    "wismo": [
        "{carrier} nezdinde araştırma başlattım ve daha fazla beklememeniz için bugün ekspres kargoyla yenisini gönderiyoruz. Yeni takip numarası e-postayla gelecek. İlk paket yine de gelirse teslim almayı reddetmeniz yeterli.",
        "{carrier} paketin kaybolduğunu doğruladı. {amount} tutarın tamamını ödeme yönteminize iade ettim; genellikle 3–5 iş günü içinde hesabınıza yansır. Yaşattığımız sorun için özür dileriz.",
    ],
    "damaged": [
        "Teşekkürler, ihtiyacımız olan her şey bu kadar. Yeni ürününüz {tracking} takip numarasıyla yolda. Bir sorun olursa bana yazmanız yeterli.",
        "{carrier} adresinize teslim edecek; evde olmazsanız paket en yakın kargo dolabına bırakılır. Yeni ürün {eta} tarihine kadar ulaşmalı.",
    ],
    "return": [
        "İadeniz depomuza ulaştı ve her şey yolunda. {amount} tutarı ödeme yönteminize iade ettim; bankanıza bağlı olarak hesabınıza yansıması 3–5 iş günü sürer.",
        "Etiketi PDF olarak tekrar ekledim. Paket yola çıktıktan sonra başka bir şey yapmanıza gerek yok; iade yapıldığında size haber vereceğiz.",
    ],
    "refund": [
        "Evet, iade her zaman orijinal ödeme yöntemine yapılır; yani PayPal hesabınıza geçecek, genellikle kartlardan daha hızlı.",
        "Ödeme ekibimizden kontrol etmesini istedim: {amount} tutarındaki iade {date} tarihinde banka tarafından {rma} referansıyla onaylanmış. Hâlâ göremiyorsanız bankanız bu referansla takip edebilir.",
    ],
    "size": [
        "Değişim paketiniz depomuzdan çıktı, takip numarası {tracking}. Güle güle kullanın!",
        "Evet, sizin için ayrıldı ve paketlendi bile. {eta} tarihine kadar, yani seyahatinizden önce ulaşmalı.",
    ],
    "warranty": [
        "Servis ortağımız cihazı inceledi: güç kartı arızalıydı ve değiştirildi. Cihaz size geri dönüyor (takip no {tracking}) ve onarım için 6 ay ek garanti var.",
        "Bu arıza bu partide bilinen bir sorun olduğu için tamir etmiyoruz; bugün size yepyeni bir cihaz gönderiyoruz. Yenisi gelene kadar eskisini kullanabilir, sonra aynı etiketle geri gönderebilirsiniz.",
    ],
    "invoice": [
        "Tamamdır, şirket adresinizi ve sipariş tarihini içeren düzeltilmiş fatura ekte.",
        "Rica ederim! Faturada artık sipariş tarihi de yazıyor; yeni PDF ekte.",
    ],
    "address": [
        "Evet, teslimat tarihi aynı kalıyor; paket {eta} tarihine kadar ulaşmalı.",
        "Bu durumda paket bize geri dönecek ve ulaşır ulaşmaz ek ücret olmadan {street}, {city} adresine yeniden göndereceğim. Takibini ben yapıyorum.",
    ],
    "loyalty": [
        "Puanlar ancak hesabınızda 12 ay boyunca hiçbir hareket olmazsa sona erer; her alışveriş veya kullanım bu süreyi sıfırlar. Ayrıca 30 gün önceden size hatırlatırız.",
        'Kupon kodunu ödeme adımında, ödeme seçeneklerinin hemen üstündeki "Hediye çeki" alanına girebilirsiniz. Her kod bir kez kullanılabilir.',
    ],
    "product": [
        "Elbette, teslimattan sonra 30 gün içinde gerekçe göstermeden iade edebilirsiniz ve iade etiketi ücretsizdir.",
        "Not aldım. Ürün tekrar stoğa girdiğinde size e-posta gelecek.",
    ],
}

NOTES = {
    "wismo": [
        "{carrier} ile araştırma kaydı açıldı, referans {tracking}. 48 saat sonra tekrar kontrol et.",
        "Paket grevden beri aktarma merkezinde bekliyor. Cumaya kadar hareket etmezse ekspres yenisi teklif edildi.",
    ],
    "damaged": [
        "Fotoğraflar geldi, hasar açıkça taşımadan. {carrier} nezdinde hasar bildirimi yapıldı.",
        "Bu hafta aynı partiden üçüncü hasarlı ürün – depodan ambalajı kontrol etmesini istedim.",
    ],
    "return": [
        "{rma} iade kaydı açıldı, etiket gönderildi. Müşteriye göre ürün kullanılmamış.",
        "Bu yıl ikinci iade – politika dahilinde, sorun yok.",
    ],
    "refund": [
        "{rma} iadesi yapıldı, {amount}. Depo iadeyi kaydetmemişti – lojistiğe bildirildi.",
        "Sadece kısmi iade: iade paketinde aksesuarlar eksikti.",
    ],
    "size": [
        "Değişim {size} → {size2} kaydedildi, stok kontrol edildi.",
        "Bu model dar kalıp – bu ay birkaç değişim oldu. Ürün sayfasına beden notu önerildi.",
    ],
    "warranty": [
        "{rma} tamir kaydı servis ortağında açıldı.",
        "2023-11 partisinde bilinen arıza: tamir yerine değişim (takım lideri onayladı).",
    ],
    "invoice": [
        "Fatura vergi numarasıyla yeniden düzenlendi, orijinali muhasebede iptal edildi.",
        "Müşteri hesabında fatura görünmüyor – muhasebeyle bilinen senkronizasyon sorunu, bildirildi.",
    ],
    "address": [
        "Adres, toplama öncesinde mağaza sisteminde değiştirildi.",
        "{carrier} nezdinde yönlendirme talep edildi, ref. {tracking}.",
    ],
    "loyalty": [
        "Puanlar iade süresi bitene kadar beklemede – müşteriye açıklandı.",
        "Son siparişteki sorun için jest puanı eklendi.",
    ],
    "product": ["Satış öncesi soru, henüz sipariş yok.", "Stok tarihini ürün ekibine sordum."],
}

GREETING = "Merhaba {first},"
SIGN_OFF = "Saygılarımızla,\n{agent}\nMüşteri Hizmetleri"
THANKS = [
    "Teşekkür ederim, harika!",
    "Mükemmel, hızlı yardımınız için teşekkürler.",
    "Çok teşekkürler, her şey halloldu.",
    "Tamam, çok teşekkür ederim!",
]
# Temsilcinin bir telefon görüşmesi ya da ziyaret için tuttuğu kayıt (kendi açtığı talebin
# ilk mesajı), kendi dilinde.
CALL = "{first} {last} ile telefon görüşmesi: {summary}"
VISIT = "{first} {last} mağazaya geldi: {summary}"
SUMMARIES = {
    "wismo": "{order} numaralı siparişin paketi henüz gelmemiş; {tracking} takip numarası {carrier} ile kontrol edildi, paket depoda.",
    "damaged": "{order} numaralı sipariş hasarlı gelmiş; yenisi gönderildi, geri göndermesine gerek yok.",
    "return": "{order} numaralı siparişi iade etmek istiyor; {rma} iade kaydı açıldı, etiket e-postayla gönderildi.",
    "refund": "{order} numaralı siparişin para iadesini sordu; {amount} tutarındaki iade onaylandı.",
    "size": "{size} yerine {size2} beden istiyor; değişim kaydedildi.",
    "warranty": "{order} numaralı siparişteki cihaz arızalı; {rma} tamir kaydı açıldı.",
    "invoice": "{order} numaralı siparişin fatura kopyasını istedi; e-postayla gönderildi.",
    "address": "{order} numaralı sipariş için yeni teslimat adresi: {street}, {city}. Değiştirildi.",
    "loyalty": "Sadakat puanlarını nasıl kullanacağını sordu; ödüller anlatıldı.",
    "product": "Satın almadan önce {product} hakkında sorular; yanıtlandı.",
}

CSAT_COMMENTS = {
    "happy": [
        "Hızlı ve güler yüzlü, teşekkürler!",
        "Sorun tek bir e-postayla çözüldü. Harika hizmet.",
        "Çok yardımcı oldunuz, tüm ekibe teşekkürler.",
        "Yenisi hızlıca geldi, çok memnunum.",
    ],
    "neutral": [
        "İdare eder, ama daha hızlı olabilirdi.",
        "Sonunda çözüldü ama iki kez sormam gerekti.",
    ],
    "unhappy": [
        "Yanıt almak çok uzun sürdü.",
        "Sorunu üç kez anlatmak zorunda kaldım.",
        "İki hafta oldu, hâlâ para iadesi yok.",
        "Gönderilen yenisi de hasarlı geldi.",
    ],
}
NPS_COMMENTS = {
    "promoter": [
        "Harika ürünler ve hızlı teslimat.",
        "Hep buradan sipariş veriyorum, hiç sorun yaşamadım.",
        "Fiyatlar iyi, kargo hızlı.",
    ],
    "passive": ["Teslimat biraz uzun sürdü.", "İyi ama ambalaj daha iyi olabilirdi."],
    "detractor": [
        "Paket geç ve hasarlı geldi.",
        "Çok fazla ambalaj vardı ve teslimat gecikti.",
        "Müşteri hizmetlerine ulaşmak zordu.",
    ],
}

RECOVERY_REPLIES = [
    "Müşteri hizmetleri ekibinin sorumlusuyum ve değerlendirmenizi okudum. Sizi hayal kırıklığına uğrattığımız için özür dilerim. Telafi olarak kargo ücretinizi iade ettim ve bir sonraki siparişinizin kargosu ücretsiz. Başka bir konu varsa bu e-postayı yanıtlamanız yeterli, doğrudan bana ulaşır.",
    "Dürüst değerlendirmeniz için teşekkür ederiz. Haklısınız, bu çok uzun sürdü. Tekrar yaşanmaması için durumunuzu ekiple konuştum ve bunu telafi etmek isterim; açık kalan bir konu varsa lütfen yazın.",
]
RECOVERY_THANKS = [
    "Bizzat dönüş yaptığınız için teşekkürler. Artık her şey yolunda.",
    "Teşekkürler, çok naziksiniz. Sorun kalmadı.",
]
RECOVERY_NOTES = [
    "Müşteri arandı, özür dilendi, kargo ücreti iade edildi.",
    "Müşteri jestten memnun kaldı.",
    "Müşteriyle konuşuldu; sorun çözüldü, tekrar sipariş verecek.",
]
GOODWILL_REASONS = [
    "Geciken teslimat için özür",
    "Hasarlı paket için özür",
    "Sabrınız için teşekkürler",
]
CUSTOMER_NOTES = [
    "WhatsApp üzerinden iletişim kurulmasını tercih ediyor.",
    "Yıllardır düzenli müşteri, her zaman çok nazik.",
    "İşitme güçlüğü var – lütfen aramak yerine yazın.",
    "Annesi için sipariş veriyor; teslimat adresi sık sık farklı.",
]
