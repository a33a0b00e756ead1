"""Fictional names, written the way each community writes them.

Each culture lists the scripts its people's names are recorded in (a Uyghur name in Latin,
Uyghur Arabic script and the Chinese transcription used by Chinese authorities; a Tajik name
in Cyrillic and Latin) and, for every given name and surname, one form per script. Names
are combined at random, so any resemblance to a real person is a coincidence.
"""

# Names in Cyrillic and Turkish letters look like Latin ones on purpose: they are the names.
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from beyondreach.cases.inputs import NameData

Forms = tuple[str, ...]


@dataclass(frozen=True)
class Culture:
    demonym: str
    scripts: tuple[tuple[str, str], ...]  # (ISO 15924 script, BCP 47 language) per form
    male: tuple[Forms, ...]
    female: tuple[Forms, ...]
    surnames: tuple[tuple[Forms, Forms], ...]  # (male forms, female forms)
    surname_first: bool = False
    joiners: Forms = ()  # per script; a space unless given
    ascii_alias: bool = False  # add the name without diacritics, as airlines and police type it

    def names(self, rng: random.Random, sex: str, surname: int | None = None) -> list[NameData]:
        female = sex == "female" or (sex != "male" and rng.random() < 0.5)
        given = rng.choice(self.female if female else self.male)
        family = self.surnames[
            surname if surname is not None else rng.randrange(len(self.surnames))
        ]
        last = family[1] if female else family[0]
        names = []
        for i, (script, language) in enumerate(self.scripts):
            parts = (last[i], given[i]) if self.surname_first else (given[i], last[i])
            joiner = self.joiners[i] if self.joiners else " "
            names.append(NameData(joiner.join(parts), script, language))
        if self.ascii_alias:
            plain = anyascii(names[0].value)
            if plain != names[0].value:
                names.append(NameData(plain, "Latn", ""))
        return names


def _f(surname: str) -> str:
    """The feminine form of a Slavic-style surname: Волков -> Волкова, Orazow -> Orazowa."""
    cyrillic = unicodedata.name(surname[-1], "").startswith("CYRILLIC")
    return surname + ("\u0430" if cyrillic else "a")


def _gendered(*pairs: Forms) -> tuple[tuple[Forms, Forms], ...]:
    return tuple((forms, tuple(_f(s) for s in forms)) for forms in pairs)


def _same(*forms: Forms) -> tuple[tuple[Forms, Forms], ...]:
    return tuple((f, f) for f in forms)


UYGHUR = Culture(
    demonym="Uyghur",
    scripts=(("Latn", "ug"), ("Arab", "ug"), ("Hans", "zh")),
    joiners=(" ", " ", "·"),
    male=(
        ("Memet", "مەمەت", "买买提"),
        ("Abdurehim", "ئابدۇرېھىم", "阿不都热依木"),
        ("Erkin", "ئەركىن", "艾尔肯"),
        ("Ablikim", "ئابلىكىم", "阿布力克木"),
        ("Ekrem", "ئەكرەم", "艾克拉木"),
        ("Yusup", "يۇسۇپ", "玉素甫"),
        ("Nurmemet", "نۇرمەمەت", "努尔买买提"),
        ("Alim", "ئالىم", "阿里木"),
    ),
    female=(
        ("Gulnar", "گۈلنار", "古丽娜尔"),
        ("Mihray", "مىھراي", "米合热依"),
        ("Aynur", "ئاينۇر", "阿依努尔"),
        ("Patigul", "پاتىگۈل", "帕提古丽"),
        ("Rahile", "راھىلە", "热依拉"),
        ("Dilnur", "دىلنۇر", "迪丽努尔"),
        ("Zulpiye", "زۇلپىيە", "祖力皮亚"),
        ("Mukerrem", "مۇكەررەم", "木凯热木"),
    ),
    surnames=_same(
        ("Tursun", "تۇرسۇن", "吐尔逊"),
        ("Kurban", "قۇربان", "库尔班"),
        ("Yasin", "ياسىن", "亚森"),
        ("Osman", "ئوسمان", "吾斯曼"),
        ("Hoshur", "ھوشۇر", "吾守尔"),
        ("Rozi", "روزى", "肉孜"),
        ("Abdulla", "ئابدۇللا", "阿不都拉"),
        ("Niyaz", "نىياز", "尼亚孜"),
        ("Sidiq", "سىدىق", "斯迪克"),
        ("Kadir", "قادىر", "卡德尔"),
    ),
)

HAN = Culture(
    demonym="Chinese",
    scripts=(("Latn", "zh"), ("Hans", "zh")),
    joiners=(" ", ""),
    surname_first=True,
    male=(
        ("Wei", "伟"),
        ("Jun", "军"),
        ("Lei", "磊"),
        ("Tao", "涛"),
        ("Jianguo", "建国"),
        ("Zhiqiang", "志强"),
        ("Haoran", "浩然"),
        ("Ming", "明"),
    ),
    female=(
        ("Fang", "芳"),
        ("Min", "敏"),
        ("Jing", "静"),
        ("Yan", "燕"),
        ("Lihua", "丽华"),
        ("Xiaoyu", "晓雨"),
        ("Hui", "慧"),
        ("Ting", "婷"),
    ),
    surnames=_same(
        ("Wang", "王"),
        ("Li", "李"),
        ("Zhang", "张"),
        ("Liu", "刘"),
        ("Chen", "陈"),
        ("Yang", "杨"),
        ("Zhao", "赵"),
        ("Huang", "黄"),
        ("Zhou", "周"),
        ("Wu", "吴"),
        ("Xu", "徐"),
        ("Sun", "孙"),
    ),
)

HONG_KONG = Culture(
    demonym="Hong Kong",
    scripts=(("Latn", "yue"), ("Hant", "yue")),
    joiners=(" ", ""),
    surname_first=True,
    male=(("Ka-ming", "家明"), ("Chi-wai", "志偉"), ("Wing-kit", "永傑"), ("Ho-yin", "浩賢")),
    female=(("Ka-yan", "嘉欣"), ("Wing-sze", "詠詩"), ("Mei-ling", "美玲"), ("Hoi-yan", "凱欣")),
    surnames=_same(
        ("Chan", "陳"),
        ("Wong", "黃"),
        ("Lee", "李"),
        ("Cheung", "張"),
        ("Lau", "劉"),
        ("Ng", "吳"),
        ("Leung", "梁"),
        ("Tse", "謝"),
    ),
)

TIBETAN = Culture(
    demonym="Tibetan",
    scripts=(("Latn", "bo"), ("Hans", "zh")),
    joiners=(" ", ""),
    male=(("Tenzin", "丹增"), ("Lobsang", "洛桑"), ("Tashi", "扎西"), ("Sonam", "索朗")),
    female=(("Tenzin", "丹增"), ("Lobsang", "洛桑"), ("Tashi", "扎西"), ("Sonam", "索朗")),
    surnames=(
        (("Dorje", "多吉"), ("Dolma", "卓玛")),
        (("Gyatso", "嘉措"), ("Yangchen", "央金")),
        (("Phuntsok", "平措"), ("Lhamo", "拉姆")),
        (("Norbu", "诺布"), ("Pema", "白玛")),
    ),
)

RUSSIAN = Culture(
    demonym="Russian",
    scripts=(("Cyrl", "ru"), ("Latn", "ru")),
    male=(
        ("Алексей", "Aleksei"),
        ("Дмитрий", "Dmitry"),
        ("Сергей", "Sergei"),
        ("Михаил", "Mikhail"),
        ("Андрей", "Andrei"),
        ("Илья", "Ilya"),
        ("Павел", "Pavel"),
        ("Никита", "Nikita"),
    ),
    female=(
        ("Ирина", "Irina"),
        ("Ольга", "Olga"),
        ("Анна", "Anna"),
        ("Екатерина", "Ekaterina"),
        ("Мария", "Maria"),
        ("Татьяна", "Tatiana"),
        ("Юлия", "Yulia"),
        ("Дарья", "Daria"),
    ),
    surnames=_gendered(
        ("Волков", "Volkov"),
        ("Соколов", "Sokolov"),
        ("Морозов", "Morozov"),
        ("Лебедев", "Lebedev"),
        ("Козлов", "Kozlov"),
        ("Новиков", "Novikov"),
        ("Орлов", "Orlov"),
        ("Зайцев", "Zaitsev"),
        ("Белов", "Belov"),
        ("Комаров", "Komarov"),
    ),
)

CHECHEN = Culture(
    demonym="Chechen",
    scripts=(("Cyrl", "ru"), ("Latn", "ce")),
    male=(
        ("Зелимхан", "Zelimkhan"),
        ("Ахмед", "Akhmed"),
        ("Магомед", "Magomed"),
        ("Ислам", "Islam"),
        ("Тимур", "Timur"),
        ("Адам", "Adam"),
    ),
    female=(
        ("Хеда", "Kheda"),
        ("Зарема", "Zarema"),
        ("Малика", "Malika"),
        ("Седа", "Seda"),
        ("Луиза", "Luiza"),
    ),
    surnames=_gendered(
        ("Мусаев", "Musaev"),
        ("Исаев", "Isaev"),
        ("Хасанов", "Khasanov"),
        ("Умаров", "Umarov"),
        ("Бисултанов", "Bisultanov"),
        ("Межидов", "Mezhidov"),
        ("Эльмурзаев", "Elmurzaev"),
    ),
)

TAJIK = Culture(
    demonym="Tajik",
    scripts=(("Cyrl", "tg"), ("Latn", "tg")),
    male=(
        ("Фаррух", "Farrukh"),
        ("Умед", "Umed"),
        ("Сухроб", "Suhrob"),
        ("Далер", "Daler"),
        ("Шерали", "Sherali"),
        ("Исмоил", "Ismoil"),
        ("Бахтиёр", "Bakhtiyor"),
        ("Рустам", "Rustam"),
    ),
    female=(
        ("Шабнам", "Shabnam"),
        ("Зарина", "Zarina"),
        ("Нигина", "Nigina"),
        ("Меҳрангез", "Mehrangez"),
        ("Фотима", "Fotima"),
        ("Гулноза", "Gulnoza"),
        ("Парвина", "Parvina"),
    ),
    surnames=_gendered(
        ("Раҳимов", "Rahimov"),
        ("Назаров", "Nazarov"),
        ("Саидов", "Saidov"),
        ("Каримов", "Karimov"),
        ("Шарипов", "Sharipov"),
        ("Қодиров", "Qodirov"),
        ("Ҳайдаров", "Haydarov"),
        ("Давлатов", "Davlatov"),
        ("Султонов", "Sultonov"),
    ),
)

UZBEK = Culture(
    demonym="Uzbek",
    scripts=(("Latn", "uz"), ("Cyrl", "uz")),
    male=(
        ("Jamshid", "Жамшид"),
        ("Bahodir", "Баҳодир"),
        ("Sherzod", "Шерзод"),
        ("Otabek", "Отабек"),
        ("Akmal", "Акмал"),
        ("Dilshod", "Дилшод"),
    ),
    female=(
        ("Dilnoza", "Дилноза"),
        ("Nodira", "Нодира"),
        ("Shahnoza", "Шаҳноза"),
        ("Malika", "Малика"),
        ("Gulchehra", "Гулчеҳра"),
        ("Nilufar", "Нилуфар"),
    ),
    surnames=_gendered(
        ("Yusupov", "Юсупов"),
        ("Tursunov", "Турсунов"),
        ("Ergashev", "Эргашев"),
        ("Xolmatov", "Холматов"),
        ("Rashidov", "Рашидов"),
        ("Mirzayev", "Мирзаев"),
        ("Usmonov", "Усмонов"),
    ),
)

TURKMEN = Culture(
    demonym="Turkmen",
    scripts=(("Latn", "tk"), ("Cyrl", "ru")),
    male=(
        ("Merdan", "Мердан"),
        ("Döwlet", "Довлет"),
        ("Batyr", "Батыр"),
        ("Maksat", "Максат"),
        ("Rustem", "Рустем"),
        ("Ata", "Ата"),
    ),
    female=(
        ("Aýgül", "Айгуль"),
        ("Gulşat", "Гульшат"),
        ("Jeren", "Джерен"),
        ("Maral", "Марал"),
        ("Leýla", "Лейла"),
    ),
    surnames=_gendered(
        ("Orazow", "Оразов"),
        ("Annaýew", "Аннаев"),
        ("Hojamuradow", "Ходжамурадов"),
        ("Allaberdiýew", "Аллабердыев"),
        ("Gurbanow", "Гурбанов"),
        ("Nurmuhammedow", "Нурмухаммедов"),
    ),
    ascii_alias=True,
)

BELARUSIAN = Culture(
    demonym="Belarusian",
    scripts=(("Cyrl", "be"), ("Latn", "be")),
    male=(
        ("Аляксандр", "Aliaksandr"),
        ("Андрэй", "Andrei"),
        ("Раман", "Raman"),
        ("Сяргей", "Siarhei"),
        ("Дзмітрый", "Dzmitry"),
        ("Ігар", "Ihar"),
    ),
    female=(
        ("Святлана", "Sviatlana"),
        ("Таццяна", "Tatsiana"),
        ("Вольга", "Volha"),
        ("Марыя", "Maryia"),
        ("Наталля", "Natallia"),
        ("Алена", "Alena"),
    ),
    surnames=(
        *_same(
            ("Каваленка", "Kavalenka"),
            ("Шаўчук", "Shauchuk"),
            ("Мельнік", "Melnik"),
            ("Бародка", "Barodka"),
            ("Ярмоленка", "Yarmolenka"),
        ),
        (("Навіцкі", "Navitski"), ("Навіцкая", "Navitskaya")),
        (("Жукоўскі", "Zhukouski"), ("Жукоўская", "Zhukouskaya")),
        (("Казлоў", "Kazlou"), ("Казлова", "Kazlova")),
    ),
)

TURKISH = Culture(
    demonym="Turkish",
    scripts=(("Latn", "tr"),),
    male=(
        ("Mehmet",),
        ("Mustafa",),
        ("Ahmet",),
        ("Hüseyin",),
        ("Murat",),
        ("Emre",),
        ("Osman",),
        ("Kemal",),
    ),
    female=(
        ("Ayşe",),
        ("Fatma",),
        ("Zeynep",),
        ("Emine",),
        ("Elif",),
        ("Hatice",),
        ("Merve",),
        ("Büşra",),
    ),
    surnames=_same(
        ("Yılmaz",),
        ("Kaya",),
        ("Demir",),
        ("Şahin",),
        ("Çelik",),
        ("Yıldız",),
        ("Aydın",),
        ("Öztürk",),
        ("Arslan",),
        ("Doğan",),
        ("Kılıç",),
    ),
    ascii_alias=True,
)

EGYPTIAN = Culture(
    demonym="Egyptian",
    scripts=(("Arab", "ar"), ("Latn", "ar")),
    male=(
        ("محمد", "Mohamed"),
        ("أحمد", "Ahmed"),
        ("عمرو", "Amr"),
        ("خالد", "Khaled"),
        ("مصطفى", "Mostafa"),
        ("كريم", "Karim"),
        ("يوسف", "Youssef"),
    ),
    female=(
        ("مريم", "Mariam"),
        ("ياسمين", "Yasmin"),
        ("نور", "Nour"),
        ("سارة", "Sara"),
        ("هبة", "Heba"),
        ("منى", "Mona"),
        ("إسراء", "Esraa"),
    ),
    surnames=_same(
        ("حسن", "Hassan"),
        ("إبراهيم", "Ibrahim"),
        ("السيد", "El-Sayed"),
        ("منصور", "Mansour"),
        ("فؤاد", "Fouad"),
        ("عبد الرحمن", "Abdel Rahman"),
        ("الشريف", "El-Sherif"),
        ("سليمان", "Soliman"),
    ),
)

GULF_ARAB = Culture(
    demonym="Saudi",
    scripts=(("Arab", "ar"), ("Latn", "ar")),
    male=(
        ("عبدالعزيز", "Abdulaziz"),
        ("فهد", "Fahad"),
        ("تركي", "Turki"),
        ("سلطان", "Sultan"),
        ("ماجد", "Majed"),
        ("عمر", "Omar"),
    ),
    female=(
        ("نورة", "Noura"),
        ("سلمى", "Salma"),
        ("هند", "Hind"),
        ("ريم", "Reem"),
        ("لمى", "Lama"),
        ("عبير", "Abeer"),
    ),
    surnames=_same(
        ("العتيبي", "Al-Otaibi"),
        ("القحطاني", "Al-Qahtani"),
        ("الحربي", "Al-Harbi"),
        ("الشمري", "Al-Shammari"),
        ("الدوسري", "Al-Dosari"),
        ("الغامدي", "Al-Ghamdi"),
        ("الزهراني", "Al-Zahrani"),
    ),
)

PERSIAN = Culture(
    demonym="Iranian",
    scripts=(("Arab", "fa"), ("Latn", "fa")),
    male=(
        ("رضا", "Reza"),
        ("علی", "Ali"),
        ("بابک", "Babak"),
        ("کاوه", "Kaveh"),
        ("امید", "Omid"),
        ("حمید", "Hamid"),
        ("سعید", "Saeed"),
    ),
    female=(
        ("نسرین", "Nasrin"),
        ("شیرین", "Shirin"),
        ("مریم", "Maryam"),
        ("پریسا", "Parisa"),
        ("لیلا", "Leila"),
        ("سارا", "Sara"),
    ),
    surnames=_same(
        ("احمدی", "Ahmadi"),
        ("حسینی", "Hosseini"),
        ("کریمی", "Karimi"),
        ("رحیمی", "Rahimi"),
        ("جعفری", "Jafari"),
        ("صادقی", "Sadeghi"),
        ("تهرانی", "Tehrani"),
        ("نوری", "Nouri"),
        ("کاظمی", "Kazemi"),
    ),
)

AZERBAIJANI = Culture(
    demonym="Azerbaijani",
    scripts=(("Latn", "az"), ("Cyrl", "ru")),
    male=(
        ("Elvin", "Эльвин"),
        ("Rauf", "Рауф"),
        ("Tural", "Турал"),
        ("Anar", "Анар"),
        ("Vüqar", "Вугар"),
    ),
    female=(("Günel", "Гюнель"), ("Aynur", "Айнур"), ("Leyla", "Лейла"), ("Sevinc", "Севиндж")),
    surnames=_gendered(
        ("Məmmədov", "Мамедов"),
        ("Hüseynov", "Гусейнов"),
        ("Quliyev", "Гулиев"),
        ("Həsənov", "Гасанов"),
        ("İsmayılov", "Исмаилов"),
    ),
    ascii_alias=True,
)

PAKISTANI = Culture(
    demonym="Pakistani",
    scripts=(("Latn", "ur"), ("Arab", "ur")),
    male=(
        ("Ahmad", "احمد"),
        ("Bilal", "بلال"),
        ("Usman", "عثمان"),
        ("Faisal", "فیصل"),
        ("Hamza", "حمزہ"),
        ("Waqas", "وقاص"),
    ),
    female=(
        ("Ayesha", "عائشہ"),
        ("Sana", "ثنا"),
        ("Hina", "حنا"),
        ("Mehwish", "مہوش"),
        ("Sadia", "سعدیہ"),
    ),
    surnames=_same(
        ("Qureshi", "قریشی"),
        ("Malik", "ملک"),
        ("Chaudhry", "چوہدری"),
        ("Baloch", "بلوچ"),
        ("Shah", "شاہ"),
        ("Mirza", "مرزا"),
    ),
)

KHMER = Culture(
    demonym="Cambodian",
    scripts=(("Latn", "km"),),
    surname_first=True,
    male=(("Dara",), ("Vuthy",), ("Rithy",), ("Sophal",), ("Veasna",), ("Rotha",)),
    female=(("Sophea",), ("Chanthy",), ("Sreymom",), ("Bopha",), ("Channary",), ("Leakhena",)),
    surnames=_same(
        ("Sok",), ("Meas",), ("Chea",), ("Kem",), ("Heng",), ("Pich",), ("Ouk",), ("Lim",)
    ),
)

VIETNAMESE = Culture(
    demonym="Vietnamese",
    scripts=(("Latn", "vi"),),
    surname_first=True,
    male=(("Văn Hùng",), ("Minh Tuấn",), ("Quốc Bảo",), ("Đức Anh",), ("Thanh Sơn",)),
    female=(("Thị Lan",), ("Thu Hà",), ("Ngọc Mai",), ("Phương Thảo",), ("Thị Hồng",)),
    surnames=_same(("Nguyễn",), ("Trần",), ("Lê",), ("Phạm",), ("Hoàng",), ("Vũ",), ("Đặng",)),
    ascii_alias=True,
)

THAI = Culture(
    demonym="Thai",
    scripts=(("Latn", "th"),),
    male=(("Somchai",), ("Anan",), ("Prasert",), ("Kittisak",)),
    female=(("Siriporn",), ("Kanya",), ("Malee",), ("Ratana",)),
    surnames=_same(("Srisuk",), ("Wongsawat",), ("Chaiyaporn",), ("Boonmee",), ("Thongdee",)),
)

RWANDAN = Culture(
    demonym="Rwandan",
    scripts=(("Latn", "rw"),),
    male=(("Jean-Paul",), ("Eric",), ("Patrick",), ("Emmanuel",), ("Innocent",), ("Claude",)),
    female=(("Aline",), ("Claudine",), ("Grace",), ("Diane",), ("Solange",), ("Josiane",)),
    surnames=_same(
        ("Habimana",),
        ("Niyonzima",),
        ("Nshimiyimana",),
        ("Uwimana",),
        ("Mugisha",),
        ("Hakizimana",),
        ("Uwase",),
        ("Mukamana",),
    ),
)

ERITREAN = Culture(
    demonym="Eritrean",
    scripts=(("Latn", "ti"),),
    male=(("Yonas",), ("Dawit",), ("Mehari",), ("Filmon",), ("Yohannes",), ("Amanuel",)),
    female=(("Senait",), ("Luwam",), ("Selam",), ("Mebrat",), ("Saba",), ("Ruta",)),
    surnames=_same(
        ("Tesfamariam",),
        ("Gebremichael",),
        ("Kidane",),
        ("Asmerom",),
        ("Habte",),
        ("Tekle",),
        ("Woldemariam",),
    ),
)

SYRIAN = Culture(
    demonym="Syrian",
    scripts=(("Arab", "ar"), ("Latn", "ar")),
    male=(
        ("عمر", "Omar"),
        ("باسل", "Basel"),
        ("رامي", "Rami"),
        ("مازن", "Mazen"),
        ("وسيم", "Wassim"),
    ),
    female=(("رهف", "Rahaf"), ("لينا", "Lina"), ("دانة", "Dana"), ("رشا", "Rasha")),
    surnames=_same(
        ("الحلبي", "Al-Halabi"),
        ("درويش", "Darwish"),
        ("الخطيب", "Al-Khatib"),
        ("حداد", "Haddad"),
        ("العلي", "Al-Ali"),
    ),
)

BAHRAINI = Culture(
    demonym="Bahraini",
    scripts=(("Arab", "ar"), ("Latn", "ar")),
    male=(("حسين", "Hussain"), ("علي", "Ali"), ("جعفر", "Jaafar"), ("سيد أحمد", "Sayed Ahmed")),
    female=(("زينب", "Zainab"), ("فاطمة", "Fatima"), ("معصومة", "Masooma")),
    surnames=_same(
        ("العكري", "Al-Akri"),
        ("الستراوي", "Al-Sitrawi"),
        ("المتغوي", "Al-Mutaghawi"),
        ("الجمري", "Al-Jamri"),
    ),
)
