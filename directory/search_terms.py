"""The multilingual search vocabulary the platform ships with.

Real words and phrases that people type in each content language when they look for a
group, keyed by the slugs of the standard topic list (the demo loads it, and
``manage.py load_search_terms`` merges it into an installation's topics of the same slugs;
the coordinators then keep it in the admin, Gruppenverzeichnis → Themen). German synonyms
live on the topic itself (``Topic.synonyms``); ``de-x-ls`` holds the plain words of Leichte
Sprache. Words that say *who* is looking (relatives, young people, seniors) are not topics;
they are listed here per language too and read by :mod:`directory.search`.
"""

#: ``{topic slug: {language code: [phrase, ...]}}``
TOPIC_SEARCH_TERMS = {
    "sucht": {
        "en": ["addiction", "addicted", "dependence", "dependency", "substance abuse"],
        "tr": ["bağımlılık", "bağımlı", "madde bağımlılığı"],
        "ar": ["إدمان", "الإدمان", "مدمن", "مدمنين"],
        "uk": ["залежність", "залежний", "залежна"],
        "ru": ["зависимость", "зависимый", "аддикция"],
        "de-x-ls": ["Sucht-Krankheit", "nicht aufhören können"],
    },
    "alkohol": {
        "en": [
            "alcohol",
            "alcoholism",
            "alcoholic",
            "drinking",
            "drinks",
            "drinker",
            "drunk",
            "booze",
            "sober",
        ],
        "tr": ["alkol", "alkolizm", "alkolik", "içki", "içki içiyor", "sarhoş"],
        "ar": ["كحول", "الكحول", "خمر", "الخمر", "كحولي", "مدمن كحول", "يشرب", "يشرب الخمر"],
        "uk": ["алкоголь", "алкоголізм", "алкоголік", "п'є", "пияцтво", "випиває", "запій"],
        "ru": [
            "алкоголь",
            "алкоголизм",
            "алкоголик",
            "пьёт",
            "пьют",
            "пьянство",
            "выпивает",
            "запой",
        ],
        "de-x-ls": ["zu viel Alkohol trinken", "Alkohol-Sucht", "Bier", "Schnaps", "Wein"],
    },
    "medikamente": {
        "en": ["pills", "painkillers", "sleeping pills", "prescription drugs", "medication"],
        "tr": ["ilaç", "ilaç bağımlılığı", "hap", "uyku ilacı"],
        "ar": ["أدوية", "حبوب", "مهدئات", "مسكنات", "حبوب منومة"],
        "uk": ["ліки", "пігулки", "снодійне", "знеболювальні"],
        "ru": ["таблетки", "лекарства", "снотворное", "обезболивающие"],
        "de-x-ls": ["zu viele Tabletten", "Tabletten-Sucht"],
    },
    "gluecksspiel": {
        "en": ["gambling", "gambler", "betting", "casino", "slot machines", "sports betting"],
        "tr": ["kumar", "kumarbaz", "bahis", "kumar bağımlılığı", "iddaa"],
        "ar": ["قمار", "القمار", "مقامرة", "رهان", "مراهنات"],
        "uk": ["азартні ігри", "ігроманія", "ставки", "казино"],
        "ru": ["азартные игры", "игромания", "лудомания", "ставки", "казино"],
        "de-x-ls": ["Spiel-Sucht", "Geld-Spiele", "Spiel-Automat", "Spiel-Halle"],
    },
    "drogen": {
        "en": ["drugs", "cannabis", "weed", "cocaine", "heroin", "smokes weed", "stoned"],
        "tr": ["uyuşturucu", "esrar", "kokain", "eroin", "ot içiyor"],
        "ar": ["مخدرات", "المخدرات", "حشيش", "حشيشة", "كوكايين", "هيروين"],
        "uk": ["наркотики", "наркоманія", "марихуана", "кокаїн", "героїн"],
        "ru": ["наркотики", "наркомания", "марихуана", "травка", "кокаин", "героин"],
        "de-x-ls": ["Drogen nehmen", "Drogen-Sucht"],
    },
    "psyche": {
        "en": ["mental health", "mental illness", "psychological problems"],
        "tr": ["ruh sağlığı", "psikolojik", "ruhsal hastalık"],
        "ar": ["صحة نفسية", "الصحة النفسية", "مرض نفسي", "نفسية"],
        "uk": ["психічне здоров'я", "психіка", "психічна хвороба"],
        "ru": ["психическое здоровье", "психика", "психическое заболевание"],
        "de-x-ls": ["seelische Krankheit", "die Seele ist krank"],
    },
    "depression": {
        "en": ["depression", "depressed", "low mood", "sad", "hopeless"],
        "tr": ["depresyon", "depresif", "bunalım", "mutsuz", "çökkün"],
        "ar": ["اكتئاب", "الاكتئاب", "مكتئب", "مكتئبة", "حزين"],
        "uk": ["депресія", "пригніченість", "смуток", "депресивний"],
        "ru": ["депрессия", "подавленность", "тоска", "апатия"],
        "de-x-ls": ["sehr traurig", "oft traurig", "keine Kraft"],
    },
    "angst": {
        "en": ["anxiety", "anxious", "fear", "panic", "panic attacks", "phobia"],
        "tr": ["kaygı", "korku", "panik", "panik atak", "fobi", "anksiyete"],
        "ar": ["قلق", "القلق", "خوف", "هلع", "نوبات هلع", "رهاب"],
        "uk": ["тривога", "страх", "паніка", "панічні атаки", "фобія"],
        "ru": ["тревога", "страх", "паника", "панические атаки", "фобия"],
        "de-x-ls": ["große Angst", "Angst haben"],
    },
    "burnout": {
        "en": ["burnout", "burned out", "exhaustion", "exhausted", "stress"],
        "tr": ["tükenmişlik", "yorgunluk", "stres"],
        "ar": ["احتراق نفسي", "الاحتراق النفسي", "إرهاق", "ضغط نفسي"],
        "uk": ["вигорання", "виснаження", "стрес"],
        "ru": ["выгорание", "истощение", "стресс"],
        "de-x-ls": ["sehr müde", "zu viel Arbeit"],
    },
    "koerper": {
        "en": ["chronic illness", "chronically ill", "illness"],
        "tr": ["kronik hastalık", "hastalık"],
        "ar": ["مرض مزمن", "أمراض مزمنة", "مرض"],
        "uk": ["хронічна хвороба", "хвороба"],
        "ru": ["хроническая болезнь", "болезнь"],
        "de-x-ls": ["lange krank"],
    },
    "krebs": {
        "en": ["cancer", "tumour", "tumor", "breast cancer", "chemotherapy"],
        "tr": ["kanser", "tümör", "meme kanseri", "kemoterapi"],
        "ar": ["سرطان", "السرطان", "ورم", "سرطان الثدي"],
        "uk": ["рак", "онкологія", "пухлина"],
        "ru": ["рак", "онкология", "опухоль", "химиотерапия"],
        "de-x-ls": ["Krebs-Krankheit"],
    },
    "diabetes": {
        "en": ["diabetes", "diabetic", "blood sugar"],
        "tr": ["diyabet", "şeker hastalığı", "şeker hastası"],
        "ar": ["سكري", "السكري", "مرض السكري", "داء السكري"],
        "uk": ["діабет", "цукровий діабет"],
        "ru": ["диабет", "сахарный диабет", "диабетик"],
        "de-x-ls": ["Zucker-Krankheit"],
    },
    "rheuma": {
        "en": ["rheumatism", "arthritis", "joint pain"],
        "tr": ["romatizma", "artrit", "eklem ağrısı"],
        "ar": ["روماتيزم", "الروماتيزم", "التهاب المفاصل"],
        "uk": ["ревматизм", "артрит"],
        "ru": ["ревматизм", "артрит"],
        "de-x-ls": ["Schmerzen in den Gelenken"],
    },
    "ms": {
        "en": ["multiple sclerosis"],
        "tr": ["multipl skleroz"],
        "ar": ["تصلب متعدد", "التصلب المتعدد", "التصلب اللويحي"],
        "uk": ["розсіяний склероз"],
        "ru": ["рассеянный склероз"],
        "de-x-ls": ["MS-Krankheit"],
    },
    "long-covid": {
        "en": ["long covid", "post covid", "chronic fatigue"],
        "tr": ["uzun covid", "covid sonrası"],
        "ar": ["كوفيد طويل", "كورونا طويل الأمد", "ما بعد كورونا"],
        "uk": ["постковід", "довгий ковід"],
        "ru": ["постковид", "долгий ковид"],
        "de-x-ls": ["nach Corona krank", "lange Corona"],
    },
    "trauer": {
        "en": ["grief", "grieving", "bereavement", "bereaved", "mourning", "loss", "widow"],
        "tr": ["yas", "kayıp", "ölüm", "dul"],
        "ar": ["حزن", "الحزن", "حداد", "فقدان", "وفاة", "فقدت"],
        "uk": ["горе", "втрата", "жалоба", "смерть"],
        "ru": ["горе", "утрата", "траур", "смерть близкого", "вдова"],
        "de-x-ls": ["jemand ist gestorben", "traurig nach dem Tod"],
    },
    "familie": {
        "en": ["family", "divorce", "separation", "single parent"],
        "tr": ["aile", "boşanma", "ayrılık", "tek ebeveyn"],
        "ar": ["عائلة", "أسرة", "طلاق", "انفصال"],
        "uk": ["сім'я", "родина", "розлучення"],
        "ru": ["семья", "развод", "расставание", "мать-одиночка"],
        "de-x-ls": ["Streit in der Familie", "Trennung"],
    },
    "pflege": {
        "en": ["caring", "carer", "caregiver", "dementia", "alzheimer's"],
        "tr": ["bakım", "bakıcı", "demans", "alzheimer", "hasta bakımı"],
        "ar": ["رعاية", "خرف", "الخرف", "الزهايمر", "زهايمر"],
        "uk": ["догляд", "деменція", "альцгеймер"],
        "ru": ["уход", "деменция", "альцгеймер", "слабоумие"],
        "de-x-ls": ["Angehörige pflegen", "alte Eltern pflegen", "vergesslich"],
    },
    "arbeit": {
        "en": ["unemployment", "unemployed", "job loss", "jobless"],
        "tr": ["işsizlik", "işsiz", "iş kaybı"],
        "ar": ["بطالة", "البطالة", "عاطل عن العمل", "فقدان العمل"],
        "uk": ["безробіття", "безробітний"],
        "ru": ["безработица", "безработный"],
        "de-x-ls": ["keine Arbeit", "Job-Center"],
    },
    "migration": {
        "en": ["migration", "refugee", "refugees", "asylum", "newcomers"],
        "tr": ["göç", "göçmen", "mülteci", "sığınmacı"],
        "ar": ["هجرة", "الهجرة", "لاجئ", "لاجئين", "لجوء"],
        "uk": ["міграція", "біженці", "біженець", "переселенці"],
        "ru": ["миграция", "беженцы", "беженец", "эмиграция"],
        "de-x-ls": ["neu in Deutschland", "geflüchtet"],
    },
}

#: Words that say a visitor looks for relatives' groups ("my husband drinks"), per language;
#: relatives' words also find groups for both. Possessive forms are listed where the
#: language writes them into the word (Turkish "kocam", Arabic "زوجي").
RELATIVES_WORDS = {
    "de": [
        "Angehörige",
        "Mann",
        "Frau",
        "Kind",
        "Kinder",
        "Partner",
        "Partnerin",
        "Ehepartner",
        "Ehefrau",
        "Ehemann",
        "Eltern",
        "Mutter",
        "Vater",
        "Sohn",
        "Tochter",
        "Bruder",
        "Schwester",
        "Geschwister",
        "Familie",
        "Co-Abhängige",
        "coabhängig",
        "mitbetroffen",
    ],
    "en": [
        "relative",
        "relatives",
        "family",
        "spouse",
        "parent",
        "parents",
        "husband",
        "wife",
        "son",
        "daughter",
        "mother",
        "father",
        "brother",
        "sister",
        "partner",
        "boyfriend",
        "girlfriend",
        "child",
        "children",
        "kid",
        "kids",
    ],
    "tr": [
        "yakını",
        "yakınları",
        "akraba",
        "aile",
        "ailem",
        "eşim",
        "kocam",
        "karım",
        "oğlum",
        "kızım",
        "annem",
        "babam",
        "kardeşim",
        "çocuğum",
        "çocuklarım",
    ],
    "ar": [
        "أقارب",
        "أهل",
        "الأهل",
        "عائلتي",
        "أسرتي",
        "زوجي",
        "زوجتي",
        "ابني",
        "ابنتي",
        "أمي",
        "أبي",
        "أخي",
        "أختي",
        "والدي",
        "والدتي",
        "أطفالي",
    ],
    "uk": [
        "родичі",
        "рідні",
        "чоловік",
        "дружина",
        "син",
        "донька",
        "дочка",
        "мати",
        "мама",
        "батько",
        "тато",
        "брат",
        "сестра",
        "батьки",
        "дитина",
        "діти",
    ],
    "ru": [
        "родственники",
        "близкие",
        "муж",
        "жена",
        "сын",
        "дочь",
        "мать",
        "мама",
        "отец",
        "папа",
        "брат",
        "сестра",
        "родители",
        "ребенок",
        "дети",
    ],
}
AFFECTED_WORDS = {
    "de": ["Betroffene", "selbstbetroffen"],
    "en": ["affected"],
}
YOUNG_ADULT_WORDS = {
    "de": ["jung", "junge", "junger", "Student", "Studierende"],
    "en": ["young", "student", "students"],
    "tr": ["genç", "gençler", "öğrenci"],
    "ar": ["شباب", "شاب", "طلاب"],
    "uk": ["молодь", "молоді", "студенти"],
    "ru": ["молодежь", "молодые", "студенты"],
}
SENIOR_WORDS = {
    "de": ["Senior", "Seniorin", "Senioren", "alt", "älter", "älteren"],
    "en": ["senior", "seniors", "elderly", "older"],
    "tr": ["yaşlı", "yaşlılar"],
    "ar": ["مسن", "مسنين", "المسنين"],
    "uk": ["літні", "пенсіонери"],
    "ru": ["пожилые", "пенсионеры"],
}
YOUTH_WORDS = {
    "de": ["Jugendliche", "Jugendlicher", "Teenager"],
    "en": ["youth", "teenager", "teenagers", "teen", "teens"],
    "tr": ["ergen", "ergenler"],
    "ar": ["مراهق", "مراهقين"],
    "uk": ["підлітки", "підліток"],
    "ru": ["подростки", "подросток"],
}


def merge_into_topics(topics=None):
    """Add the shipped search terms to the source topics of the same slugs, keeping every
    term a coordinator has added or changed (only missing terms are added). Returns the
    number of topics changed."""
    from .models import Topic, default_locale_id

    if topics is None:
        topics = Topic.objects.filter(
            locale_id=default_locale_id(), slug__in=list(TOPIC_SEARCH_TERMS)
        )
    changed = 0
    for topic in topics:
        shipped = TOPIC_SEARCH_TERMS.get(topic.slug)
        if not shipped:
            continue
        terms = {code: list(value) for code, value in (topic.search_terms or {}).items()}
        before = repr(terms)
        for code, phrases in shipped.items():
            present = {term.casefold() for term in terms.get(code, [])}
            for phrase in phrases:
                if phrase.casefold() not in present:
                    terms.setdefault(code, []).append(phrase)
                    present.add(phrase.casefold())
        if repr(terms) != before:
            topic.search_terms = terms
            topic.save(update_fields=["search_terms"])
            changed += 1
    return changed
