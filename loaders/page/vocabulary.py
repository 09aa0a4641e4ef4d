"""The words Czech project pages use, in one place: labels and headings and the field each
introduces, legal forms, the words of money, funders' logos and navigation, and the capital letters
of Czech. Rules (``loaders.page.rules``) read pages through these; adding a label or a heading is
adding an entry here (and its case in ``tests/test_page_vocabulary.py``).
All words are folded (lower case, no diacritics) unless a pattern says otherwise.
"""

from __future__ import annotations

import re

from graph.model import FundingSource, Role

# The capital letters of Czech, for patterns over unfolded text: where a name starts.
UPPER = "A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"

# Label words (folded, matched at the start of a label) -> the field they introduce.
LABELS: list[tuple[str, str]] = [
    ("registracni cislo", "registration_number"), ("reg. c", "registration_number"), ("reg. c.", "registration_number"), ("cislo projektu", "registration_number"),
    ("nazev projektu", "name"), ("projekt", "name"), ("popis projektu", "name_or_description"),
    ("termin realizace", "period"), ("doba realizace", "period"), ("obdobi realizace", "period"),
    ("doba trvani", "period"), ("realizace projektu", "period"), ("obdobi", "period"),
    ("realizace", "period_weak"),  # also an activity's dates: used only when nothing else dates the project
    ("datum zahajeni", "start"), ("zahajeni realizace", "start"), ("zahajeni projektu", "start"),
    ("zacatek projektu", "start"), ("zacatek realizace", "start"),
    ("datum ukonceni", "end"), ("ukonceni realizace", "end"), ("ukonceni projektu", "end"),
    ("konec projektu", "end"), ("konec realizace", "end"),
    ("celkove naklady", "money"), ("celkovy rozpocet", "money"), ("zdroje financovani", "money"),
    ("dotacni titul", "programme"), ("operacni program", "programme"), ("program", "programme"),
    ("nazev vyzvy", "call_name"), ("cislo vyzvy", "call"), ("vyzva", "call"),
    ("prijemce", "beneficiary"), ("zadatel", "beneficiary"), ("realizator", "beneficiary"),
    ("nositel projektu", "beneficiary"), ("predkladatel", "beneficiary"),
    ("ridici organ", "managing_authority"), ("zprostredkujici subjekt", "intermediate_body"),
    ("mezinarodni partner", "partners_abroad"), ("zahranicni partner", "partners_abroad"),
    ("cesti partner", "partners"), ("partner", "partners"),
    ("cilova skupina", "target_groups"), ("cilove skupiny", "target_groups"), ("pracovni skupiny", "working_groups"),
    ("vedouci partner", "beneficiary"),
    ("misto realizace", "places"), ("uzemi", "places"), ("lokalita", "places"),
    ("ic", "ico"), ("ico", "ico"), ("ulice", "street"), ("cislo popisne", "house_number"),
    ("mesto", "town"), ("obec", "town"), ("kraj", "seat_region"), ("psc", "postcode"),
    ("blizsi informace", "more"), ("vice informaci", "more"), ("kontakt", "more"),
]
# Labels well known enough to be read without a colon, matched on folded text.
BARE_LABELS = [r"registracni cislo(?: projektu)?", r"reg\. c\.", "nositel projektu", "prijemce(?: dotace| podpory)?",
               "zadatel", "realizator projektu", "partneri projektu", "partner projektu", "termin realizace",
               "doba realizace", "realizace projektu", "obdobi realizace", "celkove naklady(?: projektu)?", "nazev projektu",
               "ridici organ", "zprostredkujici subjekt", "cilov[ae] skupin[ay]", "misto realizace", "uzemi realizace"]
BARE_LABEL = re.compile(r"^[\s•*·-]*(?P<label>" + "|".join(BARE_LABELS) + r")\s+(?P<value>\S.*?)\s*$")
LABEL_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bregistracni\b"), "registration_number"),
    (re.compile(r"\b(zahajeni|zacatek)\b"), "start"),
    (re.compile(r"\b(ukonceni|konec|dokonceni)\b"), "end"),
    (re.compile(r"\b(termin|doba|obdobi) (realizace|trvani)\b"), "period"),
    (re.compile(r"\bpartner"), "partners"),
    (re.compile(r"\bcilov\w* skupin"), "target_groups"),
]
EXACT_LABELS = {"projekt", "program"}  # "Projekt: X" names it; "Projekt je financován takto: …" does not
# Headings: a short line without a colon, the facts in the block under it.
HEADINGS: list[tuple[str, str]] = [
    ("prijemce", "beneficiary"), ("realizator", "beneficiary"), ("zadatel", "beneficiary"),
    ("cile projektu", "description"), ("cil projektu", "description"), ("anotace", "description"),
    ("o projektu", "description"), ("strucny popis", "description"), ("popis projektu", "description"),
    ("cilova skupina", "target_groups"), ("cilove skupiny", "target_groups"),
    ("partneri", "partners"), ("misto realizace", "places"), ("uzemi realizace", "places"),
    ("pracovni skupiny", "working_groups"), ("pro koho", "target_groups"),
    ("obdobi realizace", "period"), ("termin realizace", "period"), ("doba realizace", "period"),
    ("registracni cislo", "registration_number"),
]
DETAILS = ("ico", "street", "house_number", "town", "seat_region", "postcode", "more")  # of an organisation
LISTS = {"partners", "partners_abroad", "target_groups", "places", "money"}  # values that run on as lists
ROLE_FIELDS = {"beneficiary": Role.BENEFICIARY, "managing_authority": Role.MANAGING_AUTHORITY,
                "intermediate_body": Role.INTERMEDIATE_BODY}
# Labels that end a value that runs on in the same line ("… program Bližší informace: www…").
CUT = re.compile(r"\s(?:Bližší informace|Více informací|Registrační číslo|Řídící orgán|Zprostředkující subjekt)\s*:")
ABBREVIATIONS = {"reg", "tzv", "napr", "resp", "mj", "ing", "mgr", "bc", "judr", "phdr", "mudr", "sv", "ul", "tel", "cca"}
# Words and letters that give away a foreign body's country in a list of foreign partners.
FOREIGN_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(Mesto|Mestská|Obecný úrad|Mestský úrad)\b|\bsamosprávny\b|[ôäĺľŕ]"), "SK"),
    (re.compile(r"^(Gmina|Miasto|Powiat|Stowarzyszenie|Urząd)\b|[łąęśźżńć]"), "PL"),
    (re.compile(r"\b(Council|Borough|County)\b|^City of\b"), "GB"),
    (re.compile(r"\b(Önkormányzat|Város)\b|[őű]"), "HU"),
]
# Names end before "ve spolupráci…" or a full stop that closes a sentence (not the one of "a.s.").
NAME_END = r"(?=\s+(?:ve spolupráci|v partnerské spolupráci|v partnerství|za finanční|s partnery|společně s|projekt)\b|(?<![.\s]\w)[.;:](?:\s|$)|\n)"
PROSE_BENEFICIARY = re.compile(
    r"\b(?:[Pp]rojekt\w*\s+(?P<verb>realizoval[aoi]?|realizuje|připravil[aoi]?|zajišťuje|zajišťoval[aoi]?)"
    r"|(?P<verb2>[Pp]říjemcem)(?:\s+(?:dotace|podpory))?\s+(?:je|byl[aoi]?|se stal[aoi]?)"
    r"|(?P<verb3>realizoval[aoi]?|realizuje)(?=\s+(?:statutární město|město|obec|městys|kraj)\s))"
    rf"\s+(?P<name>(?:statutární město|město|obec|městys)\s+[{UPPER}][^\n]*?|[{UPPER}][^\n]*?)"
    rf"{NAME_END}"
)
# A legal form written out before the name ("obecně prospěšná společnost Petrklíč") and its
# abbreviation, which names carry after them.
WRITTEN_FORMS = {"obecně prospěšná společnost": "o.p.s.", "občanské sdružení": "o.s.", "zapsaný spolek": "z.s.",
                 "zapsaný ústav": "z.ú."}
LEGAL_FORM_WORDS = "(?:" + "|".join(WRITTEN_FORMS) + r")\s"
FORMS = r"o\.\s?s\.|z\.\s?s\.|o\.\s?p\.\s?s\.|z\.\s?ú\.|p\.\s?o\.|s\.\s?r\.\s?o\.|a\.\s?s\.|příspěvková organizace"
PROSE_PARTNERS = re.compile(r"\b(?:(?:s|se)\s+partnery|(?:[Zz]ahraničním\s+)?[Pp]artner(?:y|em)\s+(?:projektu\s+)?"
                             r"(?:jsou|je|byl[aiy]?|se stal[aiy]?)|[Ss]polupracující\w*\s+organizac\w*(?:\s+\w+){0,3}?\s+"
                             rf"(?:jsou|byl[aiy]?)|[Pp]artnery(?:\s+\w+){{1,5}}?\s+(?:byl[aiy]?|jsou))\s*:?\s*(?P<list>[{UPPER}][^\n]*?)(?=(?<![.\s]\w)\.(?:\s|$)|\n|$)")
# --- roles stated in sentences (the prose page form) -------------------------------------------------
# A town or municipality named in any case, and the nominative its body takes: "s městem Klatovy"
# -> "Město Klatovy", "Statutárním městem Přerov" -> "Statutární město Přerov".
MUNICIPAL_WORDS = {"statutarni mesto": "Statutární město", "statutarnim mestem": "Statutární město",
                   "statutarniho mesta": "Statutární město", "mesto": "Město", "mestem": "Město", "mesta": "Město",
                   "obec": "Obec", "obci": "Obec", "obce": "Obec", "mestys": "Městys", "mestysem": "Městys",
                   "svazkem obci": "Svazek obcí", "svazek obci": "Svazek obcí", "sdruzenim obci": "Sdružení obcí",
                   "sdruzeni obci": "Sdružení obcí"}
PLACE_NAME = rf"[{UPPER}][\w-]*(?:[ \t]+(?:nad|pod|u|v|ve|na)[ \t]+[{UPPER}][\w-]*|[ \t]+[{UPPER}][\w-]*)*"
MUNICIPAL = re.compile(rf"(?P<word>(?:[Ss]tatutární(?:m|ho)?\s+)?(?:[Mm]ěst(?:o|em|a)|[Oo]bc[eí]|[Oo]bec|[Mm]ěstys(?:em)?)"
                       rf"|[Ss]vaz(?:ek|kem)\s+obcí|[Ss]družení(?:m)?\s+obcí)\s+(?P<place>{PLACE_NAME})")
# A sentence about how the project is financed, naming its sources without amounts.
FINANCING_SENTENCE = re.compile(r"financ|hrazen|spolufinanc")
# Where a name in a sentence ends: a clause that follows it, a list's "a" before the next name,
# a bracket, a full stop, a comma not followed by a legal form.
NAME_STOP = re.compile(rf"\s+(?:ve|v)\s+(?:partnersk\w+\s+)?spoluprác|\s+za\s+finanční|\s+v\s+rámci|\s+od\s+\w+\s+\d{{4}}"
                       rf"|\s+(?:zahájil|realizuje|realizoval|započal|komunitně|spolupracuje|získal)\w*|\s+a\s+(?=[{UPPER}])|\s*[;(\n„“\"]"
                       rf"|(?<!\.[a-zú])\.(?:\s|$)|,(?!\s*(?:{FORMS}|spolek|z\.\s?ú\.|o\.\s?p\.\s?s\.)(?:[\s,.]|$))")
# The beneficiary in a sentence; ``name`` is where its name starts.
PROSE_ROLES_BENEFICIARY = [
    ("realizátor", re.compile(rf"\b[Rr]ealizátorem\b.{{0,250}}?\s(?:je|bylo|byl|byla|se\s+stal[oa]?)\s+(?P<name>[{UPPER}]|(?:město|obec)\s)")),
    ("realizátor", re.compile(rf"\b[Rr]ealizátor(?:a|em)?(?:\s+projektu)?\s+(?P<name>[{UPPER}])(?!\w*\s+(?:plán|projekt))")),
    ("realizační tým", re.compile(rf"\b[Rr]ealizační\w*\s+tým\w*\s+(?P<name>[{UPPER}])")),
    ("realizuje", re.compile(rf"\b(?:[Pp]rojekt\w*\s+(?:[„\"“][^„“”\"\n]*[“”\"]\s+)?realizuje|ho\s+realizoval[aoi]?)\s+"
                             rf"(?:nestátní\s+)?(?:nezisková\s+)?(?:organizace\s+)?(?P<name>[{UPPER}])")),
    ("realizuje", re.compile(rf"(?:^|[.!?]\s+|\n)(?P<name>(?!Projekt)[{UPPER}][^.\n]{{2,80}}?)\s+(?:od\s+\w+\s+\d{{4}}\s+)?"
                             rf"(?:realizuje|zahájil[aoi]?\s+realizaci)\b", re.M)),
    ("realizován", re.compile(rf"\brealizován[aoy]?\s+(?P<name>[{UPPER}])")),
    ("zahájil realizaci", re.compile(rf"\bzahájil[aoi]?\s+(?:dne\s+[\d.\s]+(?:[a-zá-ž]+\s+\d{{4}}\s+)?)?(?P<name>[{UPPER}][\w\s]{{2,60}}?\s)realizaci")),
    ("žadatel", re.compile(rf"(?:^|[.!?]\s+|\n)(?P<name>[{UPPER}][^.\n]{{2,60}}?)\s+podal[ao]?\s[^.]*žádost", re.M)),
    # "Tímto projektem pomůže MAS X …": the one who acts by the project, its name a run of capitals.
    ("tímto projektem", re.compile(rf"\b[Tt]ímto\s+projektem\s+\w+\s+(?P<name>[{UPPER}][\w.-]*(?:\s+[{UPPER}][\w.-]*)*)(?=\s+[a-zá-ž])")),
]
# A town or kraj the page speaks of by the bare word as its own: a sentence's subject ("Kraj tím
# zlepšuje …"), whom partners worked for ("partnery pro město"), the budget that pays ("z rozpočtu města").
BARE_BODY = re.compile(rf"(?:^|[.!?]\s+)(?P<subject>Kraj|Město|Obec)\s+(?![{UPPER}])"
                       rf"|\b(?:pro|rozpočt\w*)\s+(?P<owner>měst[oau]|obc[ei]|kraj[ei]?)\b(?!\s+[{UPPER}])", re.M)
# Partners in a sentence: "partner město Dačice", "partnerem v projektu bylo Statutární město
# Přerov", "partnera projektu, kterým je společnost X", "v partnerské spolupráci s městem Klatovy",
# "Město Sokolov bylo partnerem projektu".
PROSE_ROLES_PARTNER = [
    re.compile(rf"\b[Pp]artner(?:em|a)?(?:\s+(?:v\s+)?projektu)?,?(?:\s+(?:je|bylo|byl|byla|se\s+stal[oa]?|kterým\s+je)){{0,2}}"
               rf"\s+(?:společnost\s+)?(?P<name>[{UPPER}]|(?:město|obec)\s)"),
    re.compile(r"\b(?:ve|v\s+partnerské)\s+spolupráci\s+se?\s+(?:partnerem\s+projektu\s+)?"
               r"(?P<name>(?:[Ss]tatutárním\s+)?(?:[Mm]ěstem|[Oo]bcí|město|[Mm]ěstysem)\s)"),
    re.compile(rf"(?:^|[.!?]\s+|\n)(?P<name>(?:Statutární\s+město|Město|Obec|Městys)\s+{PLACE_NAME})\s+(?:bylo|byl|byla|je)\s+partnerem", re.M),
]
# "X úzce spolupracuje se Sdružením obcí Y, Městem Z a poskytovateli (A, B, C)": the ones it works with.
COOPERATES_WITH = re.compile(r"\bspolupracuj\w*\s+se?\s+(?P<list>(?:\([^)\n]*\)|[^.\n(]|\.(?=\w))+)")
# A transcript's section listing the municipalities that took part, names run together without commas.
MUNICIPALITIES_TAKING_PART = re.compile(r"\bobce\s+podilejic\w*(?:\s+se)?\s+na\s+realizaci\s+projektu\b")
SECTION_AFTER = re.compile(r"\b(?:organizace|clenove|subjekty)\b")  # where that list of municipalities ends
# The same section's organisations, also run together: the words a Czech organisation's name starts
# with (folded), so that a name in capitals ("NADĚJE") or one of these begins the next name; a
# heading run in among them ("Metodické vedení projektu") parts two names; the section ends
# where the document's footer or its next section starts.
ORGANISATIONS_TAKING_PART = re.compile(r"\borganizace\s+podilejic\w*(?:\s+se)?\s+na\s+realizaci\s+projektu\b")
ORGANISATION_HEADS = {"cesky", "ceska", "ceske", "charita", "svaz", "urad", "centrum", "nadace", "nadacni", "diakonie",
                      "spolek", "sdruzeni", "oblastni", "domov", "dum", "stredisko", "spolecnost", "asociace", "klub",
                      "mestsky", "krajsky", "mas", "obcanske", "institut", "poradna", "nemocnice", "magistrat",
                      "armada", "hospic", "fokus", "farnost", "rada", "unie", "agentura"}
RUN_IN_HEADING = re.compile(r"\b(?:metodick\w*\s+veden\w*|odborn\w*\s+garan\w*|koordinac\w*)(?:\s+projektu)?\b")
SECTION_END = re.compile(r"\b(?:tento|tato|toto)\s+(?:dokument|material|plan)\b|\bclenove\b|\s\d+\s")
# A call named by its number ("v rámci výzvy č. 106", "(výzva 063)", "výzva č. 03_16_063", "Číslo
# výzvy: 106"), on folded text; not an ordinal before the word ("3. kola výzvy") nor a year.
CALL_NUMBER = re.compile(r"\bvyzv\w*\s*:?\s+(?:c\.\s*|cislo\s+)?(?:\d{2}_\d{2}_)?(?P<call>\d{1,3})\b(?![.,]\d)")
# What stands on a page as a funder's logo, not as a title.
FUNDER_LOGO = re.compile(r"(evropsk\w* (unie|socialni fond)|investice do (vasi budoucnosti|rozvoje vzdelavani)|"
                          r"ministerstvo .*|operacni program .*|spolufinancovano .*|(english )?summary|abstract)")
NAMED_IN_SENTENCE = re.compile(rf"\b[Pp]rojekt(?:u|em)?\s+([{UPPER}][^,.\n„“]{{8,200}}?),?\s+(?:reg\.\s*č|registrační)")
# Words a project's title is about (folded): what tells it from a site's or a department's name.
SUBJECT = re.compile(r"social|planova|sluzb|projekt|komunit|partner|podpor|rozvoj|spoluprac|integrac")
# "projekt „X“", "projektu: „X“", "projektu s názvem „X“", "projektu ESF „X“".
QUOTED_NAME = re.compile(r"\b[Pp]rojekt(?:u|em)?:?\s+(?:s\s+náz\w+\s+|[A-Z]{2,5}\s+)?[„\"“]([^„“”\"\n]{8,250})[“”\"]")
# "… realizace projektu Komunitní plán pro město Hlučín, na který …": a name after the word, in a
# sentence, up to the punctuation that ends it (or a bracket, or a registration number).
NAMED_AFTER_WORD = re.compile(rf"\b[Pp]rojekt(?:u|em)?[ \t]+([{UPPER}][a-zá-ž][^,.;:(\n„“”\"]{{10,200}}?)[ \t]*(?=[,.;:(]|\sreg\.|$)", re.M)
# A name value ends before a registration number stated after it ("Projekt: X reg. č. CZ…", "X CZ.03…").
NAME_TAIL = re.compile(r"[\s,]*(?:\(?(?:reg\.?\s*č\.?|registrační číslo|číslo projektu)\s*:?\s*)?\(?CZ[ .]\d.*$", re.S | re.I)
# A line that is a sentence about the project, not its title: "Projekt" and a verb ("Projekt vychází
# ze …", "Projekt se zaměřuje …", "Projekt je …"), not a title's words ("Projekt bez čísla", "Projekt
# sociální pomoci").
SENTENCE_ABOUT_PROJECT = re.compile(r"Projekt\s+(?:se|si|je|byl[aoiy]?|bude|má|měl[aoiy]?|\w+(?:uje|oval[aoiy]?)\b"
                                    r"|\w+í\s+(?:z|ze|na|do|s|se|o|v|ve|k|ke|od)\b)")
# Headings and lines that name a page's part, not a project: "Základní informace", "Komunitní plánování".
GENERIC_TITLE_WORDS = {"komunitni", "planovani", "zakladni", "informace", "verejny", "detail", "projektu", "projekt",
                       "o", "socialni", "sluzby", "sluzeb", "zprava", "zpravy", "aktuality", "kontakt", "a", "–", "-",
                       "odbor", "socialnich", "veci", "obsah", "navigace", "rubriky"}
NAVIGATION = {"zpet", "domu", "uvod", "menu", "tisk", "nahoru", "zpet na seznam"}
TOTAL = re.compile(r"celkov\w* (naklad|rozpoc|zpusobil|vydaj|vysi\b)|schvalen\w* podpor|rozpocet projektu|naklady projektu"
                    r"|^rozpocet$|zpusobil\w* vydaj|^celkem$")
# The support granted, named without its source: the total when a page states no total cost.
GRANT = re.compile(r"vyse (?:\w+ )?(podpory|dotace)|\bdotace celkem|poskytnut\w* dotace|\bcastk[ua]$")
# Words that make an amount a round figure, not the amount: "téměř 2 mil. Kč", "cca 17 milionů".
APPROXIMATE = re.compile(r"\b(?:temer|cca|priblizne|asi|zhruba|vice nez|pres|kolem|okolo)$")
SOURCES: list[tuple[re.Pattern[str], FundingSource]] = [
    (re.compile(r"socialni\w* fond|\besf\b"), FundingSource.ESF),
    (re.compile(r"strukturalni\w* fond|\beu\b|evropsk|\berdf\b|\befrr\b"), FundingSource.EU),
    (re.compile(r"statni\w* rozpo|\bsr\b"), FundingSource.STATE_BUDGET),
    (re.compile(r"narodni\w* verejn"), FundingSource.NATIONAL_PUBLIC),
    (re.compile(r"vlastni\w* (zdroj|podil)|spoluucast"), FundingSource.OWN),
    (re.compile(r"\bkraj[eie]?\b"), FundingSource.REGION),
    (re.compile(r"^(mesto|obec|mestys|statutarni mesto|mesta|obce)\b|\b(mesta|obce) [A-Za-z]"), FundingSource.MUNICIPALITY),
]

# --- the run of a project in a sentence (folded) ----------------------------------------------------
RUN_SENTENCE = re.compile(r"projekt|realiz|proces|probih|probeh|trval|trva\b|pobezi|bezi\b|bezel")
RUN_WORDS = re.compile(r"realiz|probih|probeh|trval|trva\b|pobezi|bezi\b|bezel")  # a range in such a sentence is the run
# A plan's period, not the project's: "plán … na období 2019 – 2021", "pro rok 2008 - 2009".
PLAN_PERIOD = re.compile(r"\b(?:obdobi|pro roky?|na roky?|plan(?:u|em|y)?)\b[^.]*$")
# A word that makes the date after it (or the one date of its sentence) the start, or the end.
START_WORDS = re.compile(r"\b(?:od|zahajen\w*|zahajil\w*|odstartova\w*|zapocal\w*|zacal\w*|spusten\w*)\b")
END_WORDS = re.compile(r"\b(?:do|ukoncen\w*|skonci\w*|skoncil\w*|dokoncen\w*)\b")


# A plan named with the period it is for: "Komunitní plán sociálních služeb … na období 2015 – 2018",
# "Akční plán rozvoje sociálních služeb na rok 2022" (folded text; the name in the nominative, one plan).
PLAN_NAMED = re.compile(r"\b(?P<kind>komunitni|strednedoby|akcni)\s+plan\b(?P<rest>[^.,;:\n\"„“”()]{0,160}?)"
                        r"\s+na\s+(?:obdobi|rok|roky|leta)(?:\s+let)?\s+(?P<start>(?:19|20)\d\d)"
                        r"(?:(?:\s*(?:-|–|az)\s*|\s+)(?P<end>(?:19|20)\d\d))?(?!\s*a\s+(?:19|20)\d\d)")
PLAN_KINDS = {"komunitni": "community_plan", "strednedoby": "medium_term_plan", "akcni": "action_plan"}
