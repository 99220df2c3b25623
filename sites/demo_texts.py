"""The demo network's translations: data only, one dictionary per language.

``sites.demo_translations`` puts them through wagtail-localize as a translator would; the
directory's demo uses ``TOPICS`` for the shared topic list. Each German text of the demo
content is named once in ``GERMAN`` (texts with an office's name or district in
``GERMAN_PATTERNS``); each language maps the same keys to its own text. A language may
leave out what no site in that language shows (the state site offers German, English and
Leichte Sprache only). The legal pages have no entry: they stay German and say so.

Leichte Sprache (``de-x-ls``) follows the rules of the Netzwerk Leichte Sprache: short
sentences, one statement each, common words, long words split with a hyphen, hard words
explained, numbers as digits.
"""

#: The German texts of the demo pages, by key (as ``home.defaults``, ``sites.demo``, the
#: events, directory and newsletter demos write them).
GERMAN = {
    "contact": "Kontakt",
    "founding": "Gruppe gründen",
    "events": "Veranstaltungen",
    "calendar": "Veranstaltungskalender",
    "groups": "Selbsthilfegruppen",
    "finder": "Kontaktstelle finden",
    "newsletter": "Newsletter",
    "archive": "Bisherige Ausgaben",
    "name": "Ihr Name",
    "email": "Ihre E-Mail-Adresse",
    "message": "Ihre Nachricht",
    "topic": "Thema der Gruppe",
    "place": "Ortsteil / Gemeinde",
    "phone": "Telefon (für einen Rückruf)",
    "more": "Was möchten Sie uns noch sagen?",
    "topic_help": "Zum Beispiel: Angehörige von Menschen mit Demenz, Long Covid, Trauer.",
    "place_help": "Wo soll die Gruppe sich treffen?",
    "name_help": "Ein Vorname oder ein Pseudonym genügt.",
    "contact_intro": (
        "Sie erreichen uns telefonisch, per E-Mail oder über dieses Formular. Wir antworten in "
        "der Regel innerhalb von zwei Werktagen."
    ),
    "contact_thanks": (
        "Vielen Dank für Ihre Nachricht. Wir melden uns so bald wie möglich bei Ihnen."
    ),
    "founding_intro": (
        "Sie haben keine Selbsthilfegruppe zu Ihrem Thema gefunden? Dann gründen Sie doch "
        "eine! Sagen Sie uns, welches Thema Sie bewegt und wo Sie wohnen. Wir bringen Sie mit "
        "anderen Interessierten zusammen, stellen einen Raum zur Verfügung und begleiten die "
        "ersten Treffen."
    ),
    "founding_privacy": (
        "Ihre Angaben behandeln wir vertraulich. Wir geben sie nur mit Ihrer Zustimmung an "
        "andere Interessierte weiter."
    ),
    "founding_thanks": (
        "Vielen Dank für Ihr Interesse an einer neuen Gruppe. Wir melden uns bei Ihnen, sobald "
        "wir mehr wissen, spätestens in zwei Wochen."
    ),
    "events_intro": (
        "Infoabende, offene Gruppentreffen, Vorträge und Fortbildungen der Kontaktstelle. Die "
        "Teilnahme ist meist kostenlos."
    ),
    "calendar_intro": (
        "Veranstaltungen aller Selbsthilfe-Kontaktstellen im Land: Infoabende, Fortbildungen, "
        "offene Treffen und Selbsthilfetage."
    ),
    "groups_intro": (
        "Die Selbsthilfegruppen, die wir betreuen. Suchen Sie mit Ihren eigenen Worten oder "
        "wählen Sie ein Thema und Ihren Ortsteil. Wir vermitteln Sie gern persönlich."
    ),
    "state_groups_intro": (
        "Alle Selbsthilfegruppen im Land. Suchen Sie mit Ihren eigenen Worten oder wählen Sie "
        "ein Thema und Ihren Ortsteil."
    ),
    "groups_founding": (
        "Keine passende Gruppe gefunden? Vielleicht suchen andere Menschen gerade dasselbe wie "
        "Sie. Wir helfen Ihnen, eine neue Gruppe zu gründen: wir suchen Mitstreitende, stellen "
        "einen Raum und begleiten die ersten Treffen."
    ),
    "state_name": "Selbsthilfe Kontakt- und Informationsstelle (Landeskoordination)",
    "state_welcome": (
        "Wir sind die Landeskoordination der Selbsthilfe-Kontaktstellen. Wir informieren über "
        "Selbsthilfe im ganzen Land, führen die landesweite Datenbank der Selbsthilfegruppen, "
        "geben den monatlichen Newsletter heraus und bieten Fortbildungen für Gruppen und "
        "Fachkräfte an."
    ),
    "state_near_you": (
        "Sie suchen eine Gruppe in Ihrer Nähe? Die Kontaktstellen in den Bezirken beraten Sie "
        "persönlich, vertraulich und kostenlos."
    ),
    "finder_intro": (
        "Geben Sie Ihre Postleitzahl, Ihren Bezirk oder Ihren Ortsteil ein. Wir zeigen Ihnen "
        "die Kontaktstelle, die für Sie da ist – mit Adresse, Öffnungszeiten und ob sie gerade "
        "geöffnet ist."
    ),
    "state_newsletter_intro": (
        "Einmal im Monat das Wichtigste aus der Selbsthilfe im ganzen Land: neue Gruppen, "
        "Gruppen in Gründung, Veranstaltungen und Fristen. Kostenlos, jederzeit abbestellbar."
    ),
    "welcome_founding": (
        "Sie möchten selbst eine Gruppe gründen? Wir beraten Sie, suchen mit Ihnen "
        "Mitstreitende und stellen Ihrer Gruppe kostenlos einen Raum zur Verfügung. Unsere "
        "Beratung ist vertraulich und kostenlos."
    ),
}

#: German texts with a name in them (a regular expression; the name is group 1).
GERMAN_PATTERNS = {
    "office": r"Selbsthilfe-Kontaktstelle (.+)",
    "contact_subject": r"Kontaktformular (.+)",
    "founding_subject": r"Gruppe gründen – Interesse über (.+)",
    "welcome": (
        r"Sie suchen Menschen, die in einer ähnlichen Lage sind wie Sie\? Wir helfen Ihnen, "
        r"eine passende Selbsthilfegruppe im Bezirk (.+) zu finden – zu Krankheiten, Sucht, "
        r"seelischen Krisen, Trauer, Arbeitslosigkeit und vielen anderen Themen, für "
        r"Betroffene und für Angehörige\."
    ),
    "newsletter_intro": (
        r"Bleiben Sie auf dem Laufenden: Mit unserem Newsletter erfahren Sie von neuen Gruppen "
        r"und Veranstaltungen der (.+)\. Sie können auch den landesweiten Newsletter bestellen\."
    ),
}

#: The last choice of the "Gruppe gründen" form's district list (the places stay).
GERMAN_OTHER_PLACE = "anderer Ort"

#: The texts of each language, by the keys of ``GERMAN`` and ``GERMAN_PATTERNS`` (there
#: with ``{name}`` for the name), plus ``other_place``.
TEXTS = {
    "en": {
        "contact": "Contact",
        "founding": "Start a group",
        "events": "Events",
        "calendar": "Events calendar",
        "groups": "Self-help groups",
        "finder": "Find your contact office",
        "newsletter": "Newsletter",
        "archive": "Past issues",
        "name": "Your name",
        "email": "Your e-mail address",
        "message": "Your message",
        "topic": "Topic of the group",
        "place": "Neighbourhood / town",
        "phone": "Phone (if you would like us to call you back)",
        "more": "Is there anything else you would like to tell us?",
        "topic_help": "For example: relatives of people with dementia, long COVID, grief.",
        "place_help": "Where should the group meet?",
        "name_help": "A first name or a pseudonym is enough.",
        "contact_intro": (
            "You can reach us by phone, by e-mail or with this form. We usually answer within "
            "two working days."
        ),
        "contact_thanks": "Thank you for your message. We will get back to you as soon as we can.",
        "founding_intro": (
            "You found no self-help group on your topic? Then why not start one! Tell us what "
            "concerns you and where you live. We bring you together with others who are "
            "interested, provide a room and support the first meetings."
        ),
        "founding_privacy": (
            "We treat what you tell us in confidence and pass it on to others only with your "
            "consent."
        ),
        "founding_thanks": (
            "Thank you for your interest in a new group. We will get in touch as soon as we "
            "know more, within two weeks at the latest."
        ),
        "events_intro": (
            "Information evenings, open group meetings, talks and training courses of the "
            "office. Taking part is usually free."
        ),
        "calendar_intro": (
            "Events of all self-help contact offices in the state: information evenings, "
            "training courses, open meetings and self-help days."
        ),
        "groups_intro": (
            "The self-help groups we support. Search in your own words or choose a topic and "
            "your neighbourhood. We are glad to put you in touch in person."
        ),
        "state_groups_intro": (
            "All self-help groups in the state. Search in your own words or choose a topic and "
            "your neighbourhood."
        ),
        "groups_founding": (
            "No group that fits? Other people may be looking for the same thing right now. We "
            "help you start a new group: we look for others to join, provide a room and "
            "support the first meetings."
        ),
        "state_name": "Self-Help Contact and Information Office (State Coordination)",
        "state_welcome": (
            "We coordinate the self-help contact offices of the state. We inform about "
            "self-help across the state, keep the state-wide database of self-help groups, "
            "publish the monthly newsletter and offer training for groups and professionals."
        ),
        "state_near_you": (
            "Looking for a group near you? The contact offices in the districts advise you in "
            "person, in confidence and free of charge."
        ),
        "finder_intro": (
            "Enter your postcode, your district or your neighbourhood. We show you the contact "
            "office that is there for you – with its address, opening hours and whether it is "
            "open right now."
        ),
        "state_newsletter_intro": (
            "Once a month the most important news of self-help across the state: new groups, "
            "groups being founded, events and deadlines. Free of charge, cancel at any time."
        ),
        "welcome_founding": (
            "Would you like to start a group yourself? We advise you, help you find others to "
            "join and give your group a room free of charge. Our advice is confidential and "
            "free."
        ),
        "office": "Self-Help Contact Office {name}",
        "contact_subject": "Contact form {name}",
        "founding_subject": "Starting a group – interest via {name}",
        "welcome": (
            "Are you looking for people in a situation like yours? We help you find a "
            "self-help group in {name} – on illness, addiction, mental health crises, grief, "
            "unemployment and many other topics, for people affected and for their relatives."
        ),
        "newsletter_intro": (
            "Stay up to date: our newsletter tells you about new groups and events of {name}. "
            "You can also subscribe to the state-wide newsletter."
        ),
        "other_place": "another place",
    },
    "tr": {
        "contact": "İletişim",
        "founding": "Grup kurmak",
        "events": "Etkinlikler",
        "groups": "Kendi kendine yardım grupları",
        "newsletter": "Bülten",
        "archive": "Önceki sayılar",
        "name": "Adınız",
        "email": "E-posta adresiniz",
        "message": "Mesajınız",
        "topic": "Grubun konusu",
        "place": "Semt / belde",
        "phone": "Telefon (sizi geri aramamız için)",
        "more": "Bize başka söylemek istediğiniz bir şey var mı?",
        "topic_help": "Örneğin: demans hastalarının yakınları, uzun COVID, yas.",
        "place_help": "Grup nerede buluşsun?",
        "name_help": "Bir ön ad ya da takma ad yeterli.",
        "contact_intro": (
            "Bize telefonla, e-postayla ya da bu form aracılığıyla ulaşabilirsiniz. Genellikle "
            "iki iş günü içinde yanıt veriyoruz."
        ),
        "contact_thanks": (
            "Mesajınız için teşekkür ederiz. En kısa sürede size geri dönüş yapacağız."
        ),
        "founding_intro": (
            "Konunuzla ilgili bir kendi kendine yardım grubu bulamadınız mı? O hâlde bir tane "
            "kurun! Sizi hangi konunun meşgul ettiğini ve nerede oturduğunuzu bize söyleyin. "
            "Sizi ilgilenen başka kişilerle buluşturuyor, bir oda sağlıyor ve ilk buluşmalarda "
            "yanınızda oluyoruz."
        ),
        "founding_privacy": (
            "Bilgilerinizi gizli tutuyoruz. Onları yalnızca sizin onayınızla ilgilenen başka "
            "kişilere iletiyoruz."
        ),
        "founding_thanks": (
            "Yeni bir gruba gösterdiğiniz ilgi için çok teşekkür ederiz. Daha fazlasını öğrenir "
            "öğrenmez, en geç iki hafta içinde sizinle iletişime geçeceğiz."
        ),
        "events_intro": (
            "İrtibat merkezimizin bilgilendirme akşamları, açık grup buluşmaları, söyleşileri ve "
            "eğitimleri. Katılım çoğunlukla ücretsizdir."
        ),
        "groups_intro": (
            "Desteklediğimiz kendi kendine yardım grupları. Kendi kelimelerinizle arayın ya da "
            "bir konu ve semtinizi seçin. Sizi bir gruba yönlendirmekten memnuniyet duyarız."
        ),
        "groups_founding": (
            "Size uygun bir grup bulamadınız mı? Belki başkaları da şu anda sizinle aynı şeyi "
            "arıyor. Yeni bir grup kurmanıza yardım ediyoruz: katılacak kişiler arıyor, bir oda "
            "sağlıyor ve ilk buluşmalarda yanınızda oluyoruz."
        ),
        "welcome_founding": (
            "Kendiniz bir grup kurmak mı istiyorsunuz? Size danışmanlık yapıyor, sizinle "
            "birlikte katılımcı arıyor ve grubunuza ücretsiz bir oda sağlıyoruz. "
            "Danışmanlığımız gizli ve ücretsizdir."
        ),
        "office": "{name} Kendi Kendine Yardım İrtibat Merkezi",
        "welcome": (
            "Sizinle benzer durumdaki insanları mı arıyorsunuz? {name} ilçesinde size uygun bir "
            "kendi kendine yardım grubu bulmanıza yardım ediyoruz – hastalıklar, bağımlılık, "
            "ruhsal krizler, yas, işsizlik ve daha birçok konuda, hem doğrudan etkilenenler hem "
            "de yakınları için."
        ),
        "newsletter_intro": (
            "Gelişmelerden haberdar olun: Bültenimizden {name} bünyesindeki yeni grupları ve "
            "etkinlikleri öğrenirsiniz. Eyalet genelindeki bültene de abone olabilirsiniz."
        ),
        "other_place": "başka bir yer",
    },
    "ar": {
        "contact": "اتصل بنا",
        "founding": "تأسيس مجموعة",
        "events": "الفعاليات",
        "groups": "مجموعات المساعدة الذاتية",
        "newsletter": "النشرة الإخبارية",
        "archive": "الأعداد السابقة",
        "name": "اسمك",
        "email": "بريدك الإلكتروني",
        "message": "رسالتك",
        "topic": "موضوع المجموعة",
        "place": "الحي / البلدة",
        "phone": "الهاتف (لكي نعاود الاتصال بك)",
        "more": "هل تريد أن تخبرنا بشيء آخر؟",
        "topic_help": (
            "مثلاً: أقارب الأشخاص المصابين بالخرف، كوفيد طويل الأمد، الحزن على فقدان عزيز."
        ),
        "place_help": "أين تودّ أن تجتمع المجموعة؟",
        "name_help": "يكفي الاسم الأول أو اسم مستعار.",
        "contact_intro": (
            "يمكنك التواصل معنا عبر الهاتف أو البريد الإلكتروني أو من خلال هذا النموذج. نردّ "
            "عادةً خلال يومَي عمل."
        ),
        "contact_thanks": "شكراً لرسالتك. سنتواصل معك في أقرب وقت ممكن.",
        "founding_intro": (
            "لم تجد مجموعة مساعدة ذاتية حول موضوعك؟ إذن أسِّس واحدة! أخبرنا بالموضوع الذي "
            "يشغلك وأين تسكن. نجمعك بأشخاص آخرين مهتمين، ونوفّر لكم غرفة، ونرافقكم في "
            "اللقاءات الأولى."
        ),
        "founding_privacy": (
            "نتعامل مع بياناتك بسرّية تامة، ولا نشاركها مع المهتمين الآخرين إلا بموافقتك."
        ),
        "founding_thanks": (
            "شكراً جزيلاً لاهتمامك بمجموعة جديدة. سنتواصل معك عندما نعرف المزيد، خلال أسبوعين "
            "على الأكثر."
        ),
        "events_intro": (
            "أمسيات إعلامية ولقاءات مفتوحة للمجموعات ومحاضرات ودورات تدريبية ينظّمها مركزنا. "
            "المشاركة مجانية في الغالب."
        ),
        "groups_intro": (
            "مجموعات المساعدة الذاتية التي نرافقها. ابحث بكلماتك الخاصة أو اختر موضوعاً والحيّ "
            "الذي تسكن فيه. يسعدنا أن نساعدك شخصياً في الوصول إلى مجموعة."
        ),
        "groups_founding": (
            "لم تجد مجموعة مناسبة؟ ربما يبحث أشخاص آخرون الآن عن الشيء نفسه. نساعدك على تأسيس "
            "مجموعة جديدة: نبحث عن مشاركين، ونوفّر غرفة، ونرافقكم في اللقاءات الأولى."
        ),
        "welcome_founding": (
            "هل تريد تأسيس مجموعة بنفسك؟ نقدّم لك المشورة، ونبحث معك عن مشاركين، ونوفّر "
            "لمجموعتك غرفة مجاناً. استشاراتنا سرّية ومجانية."
        ),
        "office": "مركز التواصل للمساعدة الذاتية في {name}",
        "welcome": (
            "هل تبحث عن أشخاص يمرّون بظروف تشبه ظروفك؟ نساعدك على إيجاد مجموعة مساعدة ذاتية "
            "مناسبة في حي {name} – حول الأمراض والإدمان والأزمات النفسية والحزن على الفقد "
            "والبطالة ومواضيع كثيرة أخرى، للمتأثرين أنفسهم ولأقاربهم."
        ),
        "newsletter_intro": (
            "ابقَ على اطلاع: من خلال نشرتنا الإخبارية تعرف بالمجموعات والفعاليات الجديدة لدى "
            "{name}. ويمكنك أيضاً الاشتراك في النشرة الإخبارية على مستوى الولاية."
        ),
        "other_place": "مكان آخر",
    },
    "ru": {
        "contact": "Контакты",
        "founding": "Создать группу",
        "events": "Мероприятия",
        "groups": "Группы самопомощи",
        "newsletter": "Рассылка",
        "archive": "Предыдущие выпуски",
        "name": "Ваше имя",
        "email": "Ваш адрес электронной почты",
        "message": "Ваше сообщение",
        "topic": "Тема группы",
        "place": "Район / населённый пункт",
        "phone": "Телефон (чтобы мы вам перезвонили)",
        "more": "Что ещё вы хотели бы нам сказать?",
        "topic_help": "Например: родственники людей с деменцией, постковидный синдром, горе.",
        "place_help": "Где должна встречаться группа?",
        "name_help": "Достаточно имени или псевдонима.",
        "contact_intro": (
            "Вы можете связаться с нами по телефону, по электронной почте или через эту форму. "
            "Обычно мы отвечаем в течение двух рабочих дней."
        ),
        "contact_thanks": "Спасибо за ваше сообщение. Мы свяжемся с вами как можно скорее.",
        "founding_intro": (
            "Вы не нашли группу самопомощи по своей теме? Тогда создайте её сами! Расскажите "
            "нам, что вас волнует и где вы живёте. Мы познакомим вас с другими "
            "заинтересованными людьми, предоставим помещение и поможем провести первые встречи."
        ),
        "founding_privacy": (
            "Ваши данные мы храним конфиденциально. Другим заинтересованным людям мы передаём "
            "их только с вашего согласия."
        ),
        "founding_thanks": (
            "Большое спасибо за интерес к новой группе. Мы свяжемся с вами, как только узнаем "
            "больше, — не позднее чем через две недели."
        ),
        "events_intro": (
            "Информационные вечера, открытые встречи групп, лекции и семинары нашего "
            "контактного центра. Участие, как правило, бесплатное."
        ),
        "groups_intro": (
            "Группы самопомощи, которые мы сопровождаем. Ищите своими словами или выберите тему "
            "и свой район. Мы с радостью поможем вам лично найти подходящую группу."
        ),
        "groups_founding": (
            "Не нашли подходящую группу? Возможно, другие люди сейчас ищут то же самое. Мы "
            "поможем вам создать новую группу: найдём единомышленников, предоставим помещение и "
            "поможем провести первые встречи."
        ),
        "welcome_founding": (
            "Хотите сами создать группу? Мы проконсультируем вас, вместе с вами найдём "
            "единомышленников и бесплатно предоставим вашей группе помещение. Наши консультации "
            "конфиденциальны и бесплатны."
        ),
        "office": "Контактный центр самопомощи {name}",
        "welcome": (
            "Вы ищете людей, которые оказались в похожей ситуации? Мы поможем вам найти "
            "подходящую группу самопомощи в районе {name} — по темам болезней, зависимостей, "
            "душевных кризисов, утраты, безработицы и многим другим, как для самих людей, так "
            "и для их близких."
        ),
        "newsletter_intro": (
            "Будьте в курсе: из нашей рассылки вы узнаете о новых группах и мероприятиях "
            "{name}. Вы также можете подписаться на рассылку для всей федеральной земли."
        ),
        "other_place": "другое место",
    },
    "uk": {
        "contact": "Контакти",
        "founding": "Створити групу",
        "events": "Заходи",
        "groups": "Групи самодопомоги",
        "newsletter": "Розсилка",
        "archive": "Попередні випуски",
        "name": "Ваше ім’я",
        "email": "Ваша електронна адреса",
        "message": "Ваше повідомлення",
        "topic": "Тема групи",
        "place": "Район / населений пункт",
        "phone": "Телефон (щоб ми вам передзвонили)",
        "more": "Що ще ви хотіли б нам сказати?",
        "topic_help": "Наприклад: рідні людей з деменцією, довгий ковід, втрата близьких.",
        "place_help": "Де має збиратися група?",
        "name_help": "Достатньо імені або псевдоніма.",
        "contact_intro": (
            "Ви можете зв’язатися з нами телефоном, електронною поштою або через цю форму. "
            "Зазвичай ми відповідаємо протягом двох робочих днів."
        ),
        "contact_thanks": "Дякуємо за ваше повідомлення. Ми зв’яжемося з вами якнайшвидше.",
        "founding_intro": (
            "Ви не знайшли групу самодопомоги на свою тему? Тоді створіть її самі! Розкажіть "
            "нам, що вас турбує і де ви живете. Ми познайомимо вас з іншими зацікавленими "
            "людьми, надамо приміщення і допоможемо провести перші зустрічі."
        ),
        "founding_privacy": (
            "Ваші дані ми зберігаємо конфіденційно. Іншим зацікавленим людям ми передаємо їх "
            "лише за вашою згодою."
        ),
        "founding_thanks": (
            "Щиро дякуємо за інтерес до нової групи. Ми зв’яжемося з вами, щойно знатимемо "
            "більше, — не пізніше ніж через два тижні."
        ),
        "events_intro": (
            "Інформаційні вечори, відкриті зустрічі груп, лекції та семінари нашого "
            "контактного центру. Участь здебільшого безкоштовна."
        ),
        "groups_intro": (
            "Групи самодопомоги, які ми супроводжуємо. Шукайте своїми словами або оберіть тему "
            "та свій район. Ми охоче особисто допоможемо вам знайти відповідну групу."
        ),
        "groups_founding": (
            "Не знайшли відповідної групи? Можливо, інші люди зараз шукають те саме. Ми "
            "допоможемо вам створити нову групу: знайдемо однодумців, надамо приміщення і "
            "допоможемо провести перші зустрічі."
        ),
        "welcome_founding": (
            "Хочете самі створити групу? Ми проконсультуємо вас, разом з вами знайдемо "
            "однодумців і безкоштовно надамо вашій групі приміщення. Наші консультації "
            "конфіденційні та безкоштовні."
        ),
        "office": "Контактний центр самодопомоги {name}",
        "welcome": (
            "Ви шукаєте людей, які опинилися в схожій ситуації? Ми допоможемо вам знайти "
            "відповідну групу самодопомоги в районі {name} — щодо хвороб, залежностей, душевних "
            "криз, втрати близьких, безробіття та багатьох інших тем, як для тих, кого це "
            "стосується, так і для їхніх рідних."
        ),
        "newsletter_intro": (
            "Будьте в курсі: з нашої розсилки ви дізнаєтеся про нові групи та заходи {name}. "
            "Ви також можете підписатися на розсилку для всієї федеральної землі."
        ),
        "other_place": "інше місце",
    },
    "de-x-ls": {
        "contact": "Kontakt",
        "founding": "Eine Gruppe gründen",
        "events": "Termine",
        "calendar": "Termine",
        "groups": "Selbst-Hilfe-Gruppen",
        "finder": "Kontakt-Stelle finden",
        "newsletter": "Newsletter",
        "archive": "Alte Newsletter",
        "name": "Ihr Name",
        "email": "Ihre E-Mail-Adresse",
        "message": "Ihre Nachricht an uns",
        "topic": "Das Thema von der Gruppe",
        "place": "Stadt-Teil",
        "phone": "Ihre Telefon-Nummer. Dann rufen wir Sie an.",
        "more": "Möchten Sie uns noch etwas sagen?",
        "topic_help": "Zum Beispiel: Trauer. Oder: Sie pflegen einen Menschen mit Demenz.",
        "place_help": "Wo soll sich die Gruppe treffen?",
        "name_help": "Ihr Vor-Name ist genug. Sie können auch einen anderen Namen schreiben.",
        "contact_intro": (
            "Sie können uns anrufen. Sie können uns eine E-Mail schreiben. Oder Sie schreiben "
            "uns hier eine Nachricht. Wir antworten meistens in 2 Tagen. Samstag und Sonntag "
            "zählen dabei nicht."
        ),
        "contact_thanks": "Danke für Ihre Nachricht. Wir melden uns bald bei Ihnen.",
        "founding_intro": (
            "Sie haben keine passende Gruppe gefunden? Dann können Sie eine neue Gruppe "
            "gründen. Gründen heißt: Sie fangen eine neue Gruppe an. Sagen Sie uns: Welches "
            "Thema ist Ihnen wichtig? Und wo wohnen Sie? Wir suchen andere Menschen für die "
            "Gruppe. Wir haben einen Raum für die Gruppe. Und wir helfen bei den ersten Treffen."
        ),
        "founding_privacy": (
            "Wir erzählen niemandem, was Sie uns schreiben. Nur wenn Sie es erlauben. Dann "
            "geben wir Ihre Angaben an die anderen Menschen für die Gruppe."
        ),
        "founding_thanks": (
            "Danke! Sie möchten eine neue Gruppe gründen. Wir melden uns bei Ihnen. Das dauert "
            "höchstens 2 Wochen."
        ),
        "events_intro": (
            "Hier finden Sie unsere Termine. Zum Beispiel: Abende mit Informationen. Vorträge. "
            "Treffen von Gruppen. Meistens kostet es nichts."
        ),
        "calendar_intro": (
            "Hier finden Sie Termine von allen Kontakt-Stellen im Land. Zum Beispiel: Abende "
            "mit Informationen. Kurse. Offene Treffen."
        ),
        "groups_intro": (
            "Hier finden Sie Selbst-Hilfe-Gruppen in unserem Bezirk. Schreiben Sie ein Wort in "
            "das Such-Feld. Zum Beispiel: Trauer. Oder wählen Sie ein Thema aus. Sie können uns "
            "auch anrufen. Dann helfen wir Ihnen bei der Suche."
        ),
        "state_groups_intro": (
            "Hier finden Sie alle Selbst-Hilfe-Gruppen im Land. Schreiben Sie ein Wort in das "
            "Such-Feld. Oder wählen Sie ein Thema aus."
        ),
        "groups_founding": (
            "Sie finden keine passende Gruppe? Vielleicht suchen andere Menschen das Gleiche "
            "wie Sie. Dann können Sie eine neue Gruppe gründen. Wir helfen Ihnen dabei. Wir "
            "suchen andere Menschen für die Gruppe. Wir haben einen Raum für die Gruppe."
        ),
        "state_name": "Landes-Stelle für Selbst-Hilfe",
        "state_welcome": (
            "Wir sind die Landes-Stelle für Selbst-Hilfe. Wir arbeiten mit allen Kontakt-Stellen "
            "im Land zusammen. Wir haben eine Liste mit allen Selbst-Hilfe-Gruppen im Land. "
            "Einmal im Monat schreiben wir einen Newsletter. Ein Newsletter ist eine E-Mail mit "
            "Neuigkeiten. Wir machen auch Kurse für Gruppen."
        ),
        "state_near_you": (
            "Sie suchen eine Gruppe in Ihrer Nähe? Dann fragen Sie die Kontakt-Stelle in Ihrem "
            "Bezirk. Die Kontakt-Stelle berät Sie. Das kostet nichts. Und die Kontakt-Stelle "
            "erzählt niemandem davon."
        ),
        "finder_intro": (
            "Schreiben Sie Ihre Post-Leit-Zahl in das Feld. Oder den Namen von Ihrem Bezirk. "
            "Dann sehen Sie: Diese Kontakt-Stelle ist für Sie da. Sie sehen auch die Adresse. "
            "Und wann die Kontakt-Stelle offen ist."
        ),
        "state_newsletter_intro": (
            "Einmal im Monat schicken wir eine E-Mail mit Neuigkeiten. Zum Beispiel: neue "
            "Gruppen und Termine. Das kostet nichts. Sie können die E-Mail jederzeit wieder "
            "abbestellen."
        ),
        "welcome_founding": (
            "Sie möchten selbst eine Gruppe anfangen? Wir helfen Ihnen dabei. Wir haben einen "
            "Raum für die Gruppe. Der Raum kostet nichts. Unsere Beratung kostet auch nichts. "
            "Und wir erzählen niemandem davon."
        ),
        "office": "Kontakt-Stelle für Selbst-Hilfe in {name}",
        "welcome": (
            "Sie haben ein Problem? Und Sie möchten mit anderen Menschen darüber reden? Dann "
            "ist eine Selbst-Hilfe-Gruppe gut für Sie. Dort treffen sich Menschen mit dem "
            "gleichen Problem. Zum Beispiel: Menschen mit einer Krankheit. Oder Menschen, die "
            "jemanden verloren haben. Wir helfen Ihnen, eine Gruppe im Bezirk {name} zu finden."
        ),
        "newsletter_intro": (
            "Sie möchten wissen: Was ist neu bei uns? Dann bestellen Sie unseren Newsletter. "
            "Ein Newsletter ist eine E-Mail mit Neuigkeiten. Zum Beispiel: neue Gruppen und "
            "Termine. Es gibt auch einen Newsletter für das ganze Land."
        ),
        "other_place": "ein anderer Ort",
    },
}

#: Names as a language writes them (where it writes them in its own script); others stay.
NAMES = {
    "ar": {"Neukölln": "نويكولن"},
    "ru": {"Marzahn-Hellersdorf": "Марцан-Хеллерсдорф"},
    "uk": {"Marzahn-Hellersdorf": "Марцан-Геллерсдорф"},
}

#: Fields whose value is the same in every language (URL parts, addresses); the mail
#: subjects stay German too where the office reads German (every language but English,
#: which the demo has translated since its start).
KEPT = {"slug", "to_address"}
KEPT_SUBJECT_LANGUAGES = {"tr", "ar", "ru", "uk", "de-x-ls"}

#: The shared topic list in every other content language, by topic slug
#: (``directory.demo.TOPICS``).
TOPICS = {
    "en": {
        "sucht": "Addiction and dependence",
        "alkohol": "Alcohol",
        "medikamente": "Dependence on medicines",
        "gluecksspiel": "Gambling",
        "drogen": "Drugs",
        "psyche": "Mental health",
        "depression": "Depression",
        "angst": "Anxiety and panic",
        "burnout": "Burnout",
        "koerper": "Physical illness",
        "krebs": "Cancer",
        "diabetes": "Diabetes",
        "rheuma": "Rheumatism",
        "ms": "Multiple sclerosis",
        "long-covid": "Long COVID",
        "trauer": "Grief and loss",
        "familie": "Family and relationships",
        "pflege": "Family carers",
        "arbeit": "Unemployment",
        "migration": "Migration and settling in",
    },
    "tr": {
        "sucht": "Bağımlılık",
        "alkohol": "Alkol",
        "medikamente": "İlaç bağımlılığı",
        "gluecksspiel": "Kumar",
        "drogen": "Uyuşturucu",
        "psyche": "Ruh sağlığı",
        "depression": "Depresyon",
        "angst": "Kaygı ve panik",
        "burnout": "Tükenmişlik (burnout)",
        "koerper": "Bedensel hastalıklar",
        "krebs": "Kanser",
        "diabetes": "Diyabet",
        "rheuma": "Romatizma",
        "ms": "Multipl skleroz",
        "long-covid": "Uzun COVID",
        "trauer": "Yas ve kayıp",
        "familie": "Aile ve ilişkiler",
        "pflege": "Bakım veren yakınlar",
        "arbeit": "İşsizlik",
        "migration": "Göç ve yeni bir ülkeye alışmak",
    },
    "ar": {
        "sucht": "الإدمان",
        "alkohol": "الكحول",
        "medikamente": "إدمان الأدوية",
        "gluecksspiel": "القمار",
        "drogen": "المخدرات",
        "psyche": "الصحة النفسية",
        "depression": "الاكتئاب",
        "angst": "القلق ونوبات الهلع",
        "burnout": "الاحتراق النفسي",
        "koerper": "الأمراض الجسدية",
        "krebs": "السرطان",
        "diabetes": "السكري",
        "rheuma": "الروماتيزم",
        "ms": "التصلب المتعدد",
        "long-covid": "كوفيد طويل الأمد",
        "trauer": "الحزن والفقد",
        "familie": "الأسرة والعلاقات الزوجية",
        "pflege": "الأقارب الذين يرعون ذويهم",
        "arbeit": "البطالة",
        "migration": "الهجرة والاستقرار في بلد جديد",
    },
    "ru": {
        "sucht": "Зависимости",
        "alkohol": "Алкоголь",
        "medikamente": "Зависимость от лекарств",
        "gluecksspiel": "Азартные игры",
        "drogen": "Наркотики",
        "psyche": "Психическое здоровье",
        "depression": "Депрессия",
        "angst": "Тревога и паника",
        "burnout": "Выгорание",
        "koerper": "Физические заболевания",
        "krebs": "Рак",
        "diabetes": "Диабет",
        "rheuma": "Ревматизм",
        "ms": "Рассеянный склероз",
        "long-covid": "Постковидный синдром",
        "trauer": "Горе и утрата",
        "familie": "Семья и отношения",
        "pflege": "Родственники, ухаживающие за близкими",
        "arbeit": "Безработица",
        "migration": "Миграция и адаптация",
    },
    "uk": {
        "sucht": "Залежності",
        "alkohol": "Алкоголь",
        "medikamente": "Залежність від ліків",
        "gluecksspiel": "Азартні ігри",
        "drogen": "Наркотики",
        "psyche": "Психічне здоров’я",
        "depression": "Депресія",
        "angst": "Тривога і паніка",
        "burnout": "Вигорання",
        "koerper": "Фізичні захворювання",
        "krebs": "Рак",
        "diabetes": "Діабет",
        "rheuma": "Ревматизм",
        "ms": "Розсіяний склероз",
        "long-covid": "Довгий ковід",
        "trauer": "Горе і втрата",
        "familie": "Сім’я і стосунки",
        "pflege": "Рідні, які доглядають близьких",
        "arbeit": "Безробіття",
        "migration": "Міграція та адаптація",
    },
    "de-x-ls": {
        "sucht": "Sucht",
        "alkohol": "Alkohol",
        "medikamente": "Sucht nach Tabletten",
        "gluecksspiel": "Glücks-Spiel",
        "drogen": "Drogen",
        "psyche": "Gesundheit von der Seele",
        "depression": "Depression: sehr lange traurig sein",
        "angst": "Angst",
        "burnout": "Burnout: völlig erschöpft sein",
        "koerper": "Krankheiten vom Körper",
        "krebs": "Krebs",
        "diabetes": "Diabetes: Zucker-Krankheit",
        "rheuma": "Rheuma: Schmerzen in den Gelenken",
        "ms": "Multiple Sklerose",
        "long-covid": "Long Covid: lange krank nach Corona",
        "trauer": "Trauer",
        "familie": "Familie und Partnerschaft",
        "pflege": "Angehörige, die pflegen",
        "arbeit": "Keine Arbeit haben",
        "migration": "Neu in Deutschland",
    },
}
