"""Who does what to whom, and where: the shape of the demo data.

Origin states are weighted roughly like Freedom House's 2014-2024 figures (China about 22%,
the ten most frequent governments about 80%); host countries, tactics and target groups
follow the patterns those reports describe for each origin state. Weights, not facts: the
incidents generated from them are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from beyondreach.demo import cultures as c
from beyondreach.demo.cultures import Culture


def weights(spec: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """'TR 5, KZ 3' -> (('TR', 'KZ'), (5.0, 3.0))."""
    pairs = [item.split() for item in spec.split(",") if item.strip()]
    return tuple(code for code, _ in pairs), tuple(float(w) for _, w in pairs)


@dataclass(frozen=True)
class Profile:
    key: str
    origin: str
    weight: float
    culture: Culture
    hosts: str  # weights spec of host countries
    tactics: str  # weights spec of the incident's main tactic
    groups: str  # weights spec of target groups


PROFILES: tuple[Profile, ...] = (
    Profile(
        "cn_uyghur",
        "CN",
        12,
        c.UYGHUR,
        "TR 8, KZ 4, KG 2, EG 2, AE 2, TH 1, MY 1, DE 2, NL 2, US 2, GB 1, AU 1, SE 1, FR 1",
        "family_coercion 8, host_detention 4, unlawful_deportation 4, diaspora_informants 3, "
        "physical_intimidation 2, digital_threats 2, interpol_abuse 1, rendition 1, "
        "mobility_controls 1, spyware 1",
        "ethnic_or_religious_group 8, activist 3, cleric_or_alleged_extremist 2, "
        "academic 1, journalist 1",
    ),
    Profile(
        "cn_han",
        "CN",
        4,
        c.HAN,
        "US 4, AU 2, CA 2, GB 1, DE 1, TH 2, LA 1, JP 1, NL 1, FR 1",
        "overseas_police_station 3, family_coercion 3, physical_intimidation 2, "
        "digital_threats 2, smear_campaign 1, rendition 1, third_party_pressure 1, spyware 1",
        "activist 3, human_rights_defender 2, journalist 2, lawyer 2, former_insider 1",
    ),
    Profile(
        "cn_hongkong",
        "CN",
        3,
        c.HONG_KONG,
        "GB 5, US 2, CA 2, AU 2, TW 1, DE 1",
        "third_party_pressure 2, family_coercion 2, digital_threats 2, doxxing 2, "
        "smear_campaign 1, physical_intimidation 1",
        "activist 5, journalist 2, trade_unionist 1, opposition 1",
    ),
    Profile(
        "cn_tibetan",
        "CN",
        3,
        c.TIBETAN,
        "IN 4, NP 4, CH 2, US 1, CA 1, BE 1",
        "physical_intimidation 3, unlawful_deportation 2, family_coercion 2, "
        "diaspora_informants 2, phishing 1",
        "ethnic_or_religious_group 5, activist 2, cleric_or_alleged_extremist 1",
    ),
    Profile(
        "tr",
        "TR",
        14,
        c.TURKISH,
        "KZ 2, KG 2, PK 2, MD 1, AZ 2, KE 1, MY 1, UA 1, DE 3, GR 1, SE 1, NL 1, US 1, AL 1",
        "rendition 4, unlawful_deportation 3, interpol_abuse 3, extradition_request 2, "
        "mobility_controls 2, prosecution_in_absentia 2, asset_freeze 1, family_coercion 1",
        "cleric_or_alleged_extremist 3, academic 2, journalist 2, opposition 2, former_insider 1",
    ),
    Profile(
        "tj",
        "TJ",
        8,
        c.TAJIK,
        "RU 6, TR 3, DE 1, PL 1, LT 1, AT 1, FR 1, MD 1, BY 1",
        "host_detention 3, unlawful_deportation 3, interpol_abuse 3, rendition 2, "
        "family_coercion 2, terrorist_designation 1, assault 1",
        "opposition 6, cleric_or_alleged_extremist 2, journalist 1, activist 1",
    ),
    Profile(
        "ru",
        "RU",
        5,
        c.RUSSIAN,
        "DE 3, GE 3, LT 2, LV 1, TR 1, FR 1, GB 1, ME 1, AM 1, KZ 1",
        "prosecution_in_absentia 3, interpol_abuse 2, physical_intimidation 2, hacking 2, "
        "phishing 2, assassination 1, assault 1, smear_campaign 1, family_coercion 1",
        "opposition 4, journalist 3, former_insider 2, activist 2",
    ),
    Profile(
        "ru_chechen",
        "RU",
        3,
        c.CHECHEN,
        "FR 2, AT 2, DE 2, SE 1, BE 1, UA 1, TR 2, GE 1",
        "assassination 2, assault 2, family_coercion 3, physical_intimidation 2, "
        "extradition_request 1, digital_threats 1",
        "opposition 3, activist 2, ethnic_or_religious_group 2",
    ),
    Profile(
        "eg",
        "EG",
        6,
        c.EGYPTIAN,
        "SA 2, AE 2, KW 2, TR 3, QA 1, US 1, GB 1, DE 1, SD 1",
        "mobility_controls 3, host_detention 3, unlawful_deportation 3, "
        "prosecution_in_absentia 2, family_coercion 3, terrorist_designation 1",
        "opposition 3, journalist 2, human_rights_defender 2, activist 2",
    ),
    Profile(
        "kh",
        "KH",
        5,
        c.KHMER,
        "TH 6, MY 2, VN 1, FR 1, US 1, AU 1",
        "unlawful_deportation 4, host_detention 3, rendition 2, assault 2, assassination 1",
        "opposition 7, activist 2, journalist 1",
    ),
    Profile(
        "tm",
        "TM",
        5,
        c.TURKMEN,
        "TR 6, RU 3, KZ 1, DE 1, US 1",
        "mobility_controls 4, host_detention 2, unlawful_deportation 2, family_coercion 2, "
        "physical_intimidation 1, diaspora_informants 1",
        "activist 4, opposition 2, journalist 1",
    ),
    Profile(
        "uz",
        "UZ",
        4,
        c.UZBEK,
        "RU 4, TR 2, KZ 2, UA 1, SE 1, DE 1",
        "extradition_request 2, interpol_abuse 2, host_detention 2, rendition 2, "
        "family_coercion 2, terrorist_designation 1",
        "cleric_or_alleged_extremist 3, opposition 2, journalist 1, human_rights_defender 1",
    ),
    Profile(
        "ir",
        "IR",
        4,
        c.PERSIAN,
        "TR 3, IQ 2, GB 2, DE 1, NL 1, FR 1, US 1, SE 1, DK 1, AE 1",
        "rendition 2, assassination 1, physical_intimidation 2, family_coercion 3, "
        "hacking 2, phishing 2, spyware 1, smear_campaign 1",
        "journalist 3, opposition 3, activist 2, ethnic_or_religious_group 1",
    ),
    Profile(
        "by",
        "BY",
        4,
        c.BELARUSIAN,
        "LT 4, PL 4, UA 1, DE 1, GE 1, LV 1, CZ 1",
        "prosecution_in_absentia 3, mobility_controls 2, extradition_request 1, "
        "terrorist_designation 2, family_coercion 2, hacking 1, smear_campaign 1",
        "opposition 4, journalist 2, activist 2, human_rights_defender 1",
    ),
    Profile(
        "rw",
        "RW",
        4,
        c.RWANDAN,
        "ZA 2, UG 2, KE 1, MZ 1, BE 2, GB 1, US 1, FR 1",
        "assassination 1, assault 2, rendition 2, spyware 2, physical_intimidation 2, "
        "family_coercion 1, extradition_request 1",
        "opposition 4, journalist 1, former_insider 2",
    ),
    Profile(
        "sa",
        "SA",
        3,
        c.GULF_ARAB,
        "US 2, GB 2, CA 1, TR 1, DE 1, QA 1, MA 1",
        "spyware 3, hacking 2, family_coercion 3, rendition 1, assassination 1, "
        "smear_campaign 1, host_detention 1",
        "human_rights_defender 3, activist 2, journalist 1, cleric_or_alleged_extremist 1",
    ),
    Profile(
        "er",
        "ER",
        2,
        c.ERITREAN,
        "SD 2, ET 2, UG 1, KE 1, EG 1, SE 1, NL 1, DE 1",
        "diaspora_informants 3, family_coercion 3, physical_intimidation 2, "
        "third_party_pressure 1, unlawful_deportation 1",
        "opposition 3, journalist 1, ethnic_or_religious_group 1",
    ),
    Profile(
        "vn",
        "VN",
        2,
        c.VIETNAMESE,
        "TH 3, DE 1, MY 1, LA 1, KH 1",
        "rendition 3, host_detention 2, unlawful_deportation 2, physical_intimidation 1",
        "activist 3, journalist 2, human_rights_defender 1",
    ),
    Profile(
        "pk",
        "PK",
        2,
        c.PAKISTANI,
        "GB 3, SE 1, NL 1, CA 1, AE 1, US 1",
        "digital_threats 2, smear_campaign 2, assault 2, assassination 1, doxxing 1, "
        "family_coercion 1",
        "journalist 3, activist 2, ethnic_or_religious_group 1",
    ),
    Profile(
        "az",
        "AZ",
        2,
        c.AZERBAIJANI,
        "FR 2, DE 2, NL 1, TR 1, GE 1, UA 1",
        "assault 2, physical_intimidation 2, extradition_request 1, interpol_abuse 1, "
        "family_coercion 2",
        "journalist 2, opposition 2, activist 1",
    ),
    Profile(
        "bh",
        "BH",
        1.5,
        c.BAHRAINI,
        "GB 3, DE 1, IQ 1, LB 1",
        "denationalisation 3, prosecution_in_absentia 2, spyware 2, family_coercion 1",
        "opposition 2, human_rights_defender 2, cleric_or_alleged_extremist 1",
    ),
    Profile(
        "sy",
        "SY",
        1.5,
        c.SYRIAN,
        "TR 2, DE 2, LB 2, JO 1, SE 1",
        "family_coercion 3, physical_intimidation 2, diaspora_informants 1, digital_threats 1",
        "activist 2, journalist 1, opposition 2",
    ),
    Profile(
        "th",
        "TH",
        1,
        c.THAI,
        "LA 3, KH 2, VN 1",
        "rendition 3, assassination 1, physical_intimidation 1",
        "activist 3, opposition 1",
    ),
)

# A small demo shows every origin's kind of data and every script before sampling by weight.
SHOWCASE = (
    "cn_uyghur",
    "tj",
    "ru",
    "eg",
    "ir",
    "tr",
    "cn_han",
    "by",
    "cn_hongkong",
    "uz",
    "kh",
    "tm",
)

COUNTRIES: dict[str, tuple[str, str]] = {  # code: (name, adjective)
    "CN": ("China", "Chinese"),
    "TR": ("Türkiye", "Turkish"),
    "TJ": ("Tajikistan", "Tajik"),
    "RU": ("Russia", "Russian"),
    "EG": ("Egypt", "Egyptian"),
    "KH": ("Cambodia", "Cambodian"),
    "TM": ("Turkmenistan", "Turkmen"),
    "UZ": ("Uzbekistan", "Uzbek"),
    "IR": ("Iran", "Iranian"),
    "BY": ("Belarus", "Belarusian"),
    "RW": ("Rwanda", "Rwandan"),
    "SA": ("Saudi Arabia", "Saudi"),
    "ER": ("Eritrea", "Eritrean"),
    "VN": ("Viet Nam", "Vietnamese"),
    "PK": ("Pakistan", "Pakistani"),
    "AZ": ("Azerbaijan", "Azerbaijani"),
    "BH": ("Bahrain", "Bahraini"),
    "SY": ("Syria", "Syrian"),
    "TH": ("Thailand", "Thai"),
}

CITIES: dict[str, tuple[str, ...]] = {
    "TR": ("Istanbul", "Ankara", "Izmir", "Kayseri", "Bursa"),
    "KZ": ("Almaty", "Astana", "Shymkent"),
    "KG": ("Bishkek", "Osh"),
    "EG": ("Cairo", "Alexandria"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
    "TH": ("Bangkok", "Chiang Mai"),
    "MY": ("Kuala Lumpur", "Penang"),
    "DE": ("Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt"),
    "NL": ("Amsterdam", "The Hague", "Rotterdam"),
    "US": ("New York", "Washington", "Los Angeles", "Chicago", "Houston"),
    "GB": ("London", "Manchester", "Birmingham", "Glasgow"),
    "AU": ("Sydney", "Melbourne", "Adelaide"),
    "SE": ("Stockholm", "Gothenburg", "Malmö"),
    "FR": ("Paris", "Strasbourg", "Lyon", "Nice"),
    "CA": ("Toronto", "Vancouver", "Montreal"),
    "LA": ("Vientiane",),
    "JP": ("Tokyo", "Osaka"),
    "TW": ("Taipei",),
    "IN": ("New Delhi", "Dharamsala"),
    "NP": ("Kathmandu", "Pokhara"),
    "CH": ("Geneva", "Zurich"),
    "BE": ("Brussels", "Antwerp", "Liège"),
    "PK": ("Islamabad", "Lahore"),
    "MD": ("Chișinău",),
    "AZ": ("Baku",),
    "KE": ("Nairobi",),
    "UA": ("Kyiv", "Odesa", "Lviv"),
    "GR": ("Athens",),
    "AL": ("Tirana",),
    "RU": ("Moscow", "St Petersburg", "Yekaterinburg", "Novosibirsk"),
    "PL": ("Warsaw", "Białystok", "Kraków"),
    "LT": ("Vilnius", "Kaunas"),
    "AT": ("Vienna", "Graz"),
    "BY": ("Minsk",),
    "GE": ("Tbilisi", "Batumi"),
    "LV": ("Riga",),
    "ME": ("Podgorica", "Budva"),
    "AM": ("Yerevan",),
    "SA": ("Riyadh", "Jeddah"),
    "KW": ("Kuwait City",),
    "QA": ("Doha",),
    "SD": ("Khartoum",),
    "VN": ("Ho Chi Minh City", "Hanoi"),
    "IQ": ("Erbil", "Sulaymaniyah"),
    "DK": ("Copenhagen",),
    "CZ": ("Prague",),
    "ZA": ("Johannesburg", "Cape Town"),
    "UG": ("Kampala",),
    "MZ": ("Maputo",),
    "ET": ("Addis Ababa",),
    "MA": ("Rabat",),
    "LB": ("Beirut",),
    "JO": ("Amman",),
    "KH": ("Phnom Penh",),
}

GROUP_WORDS = {
    "former_insider": "former official",
    "opposition": "opposition member",
    "cleric_or_alleged_extremist": "imam",
    "journalist": "journalist",
    "academic": "academic",
    "activist": "activist",
    "human_rights_defender": "human-rights defender",
    "trade_unionist": "trade unionist",
    "lawyer": "lawyer",
    "ethnic_or_religious_group": "community member",
    "other": "exile",
}

GROUP_STATUSES = {
    "former_insider": "former_official",
    "opposition": "opposition_member",
    "journalist": "journalist",
    "academic": "academic",
    "human_rights_defender": "human_rights_defender",
    "trade_unionist": "trade_unionist",
    "lawyer": "lawyer",
    "ethnic_or_religious_group": "targeted_group_member",
}

# Tactics that often come with the main one, by the main one.
COMPANIONS: dict[str, str] = {
    "host_detention": "interpol_abuse 3, extradition_request 2, unlawful_deportation 3, "
    "family_coercion 2",
    "unlawful_deportation": "host_detention 5, family_coercion 2, rendition 1",
    "rendition": "host_detention 2, family_coercion 2, physical_intimidation 1",
    "interpol_abuse": "host_detention 5, extradition_request 3, prosecution_in_absentia 2",
    "extradition_request": "host_detention 4, interpol_abuse 3",
    "family_coercion": "digital_threats 3, diaspora_informants 2, physical_intimidation 2, "
    "mobility_controls 1",
    "assault": "physical_intimidation 3, digital_threats 2, threats 1",
    "assassination": "physical_intimidation 3, digital_threats 1, threats 1",
    "physical_intimidation": "diaspora_informants 2, digital_threats 2, threats 2, doxxing 1, "
    "attack_on_property 1",
    "spyware": "hacking 2, phishing 2, physical_intimidation 1",
    "hacking": "phishing 3, doxxing 1, smear_campaign 1",
    "phishing": "hacking 3",
    "smear_campaign": "digital_threats 3, doxxing 2",
    "digital_threats": "doxxing 2, smear_campaign 2, threats 2, family_coercion 1",
    "doxxing": "digital_threats 3",
    "prosecution_in_absentia": "asset_freeze 2, interpol_abuse 2, terrorist_designation 1, "
    "family_coercion 1",
    "mobility_controls": "denationalisation 1, family_coercion 2, prosecution_in_absentia 1",
    "denationalisation": "mobility_controls 2, asset_freeze 1",
    "terrorist_designation": "asset_freeze 2, interpol_abuse 2, prosecution_in_absentia 2",
    "asset_freeze": "prosecution_in_absentia 3, punitive_listing 1",
    "overseas_police_station": "family_coercion 3, physical_intimidation 2",
    "diaspora_informants": "physical_intimidation 2, family_coercion 2",
    "third_party_pressure": "digital_threats 2, smear_campaign 1",
}
