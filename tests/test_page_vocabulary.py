"""One case per entry of the page vocabulary (``loaders/page/vocabulary.py``): each label, heading,
label word, municipal word, written-out legal form, funding source and sentence form read as the
field it stands for. Adding an entry without its case fails the count checks here."""

from __future__ import annotations

import pytest

from graph.model import FundingSource, Role
from loaders.page import extract
from loaders.page import vocabulary as v
from loaders.page.rules.money import money_kind
from loaders.page.rules.parties import clean_name
from loaders.page.structure import Page, kind_of

PAGE = "Název projektu: Plán služeb na Kelečsku\nRegistrační číslo: CZ.1.04/3.1.03/65.00042\n\n{}\n"


@pytest.mark.parametrize(("word", "kind"), v.LABELS, ids=[w for w, _ in v.LABELS])
def test_each_label_introduces_its_field(word, kind):
    assert kind_of(word, v.LABELS) == kind
    [fact] = [f for f in Page(f"{word}: Hodnota pole\n", "t.txt").facts]
    assert (fact.kind, fact.value) == (kind, "Hodnota pole")


@pytest.mark.parametrize(("word", "kind"), v.HEADINGS, ids=[w for w, _ in v.HEADINGS])
def test_each_heading_gives_the_block_under_it(word, kind):
    facts = Page(f"Plán služeb na Kelečsku\n\n{word}\n\nHodnota pole\n", "t.txt").facts
    assert [(f.kind, f.value) for f in facts] == [(kind, "Hodnota pole")]


LABEL_WORD_CASES = ["Přidělené registrační číslo", "Plánované zahájení", "Předpokládané ukončení",
                    "Celková doba trvání", "Hlavní partneři", "Hlavní cílové skupiny"]


@pytest.mark.parametrize(("label", "entry"), list(zip(LABEL_WORD_CASES, v.LABEL_WORDS, strict=True)))
def test_each_label_word_marks_its_field_wherever_it_stands(label, entry):
    assert len(LABEL_WORD_CASES) == len(v.LABEL_WORDS)
    assert kind_of(label, v.LABELS) == entry[1]


BARE_LABEL_CASES = ["Registrační číslo projektu CZ.1.04/3.1.03/65.00042", "Reg. č. CZ.1.04/3.1.03/65.00042",
                    "Nositel projektu Město Kelč", "Příjemce podpory Město Kelč", "Žadatel Město Kelč",
                    "Realizátor projektu Město Kelč", "Partneři projektu Obec Lhota", "Partner projektu Obec Lhota",
                    "Termín realizace 2010 – 2012", "Doba realizace 2010 – 2012", "Realizace projektu 2010 – 2012",
                    "Období realizace 2010 – 2012", "Celkové náklady projektu 2 000 000 Kč", "Název projektu Plán služeb",
                    "Řídící orgán MPSV", "Zprostředkující subjekt Zlínský kraj", "Cílové skupiny Senioři",
                    "Místo realizace Kelč", "Území realizace Kelč"]


@pytest.mark.parametrize("line", BARE_LABEL_CASES)
def test_each_well_known_label_reads_without_a_colon(line):
    assert len(BARE_LABEL_CASES) == len(v.BARE_LABELS)
    [fact] = Page(line + "\n", "t.txt").facts
    assert fact.kind is not None and line == f"{fact.label} {fact.value}"


MUNICIPAL_CASES = {"statutarni mesto": "Statutární město", "statutarnim mestem": "Statutárním městem",
                   "statutarniho mesta": "Statutárního města", "mesto": "město", "mestem": "městem", "mesta": "města",
                   "obec": "obec", "obci": "obcí", "obce": "obce", "mestys": "městys", "mestysem": "městysem",
                   "svazkem obci": "Svazkem obcí", "svazek obci": "Svazek obcí", "sdruzenim obci": "Sdružením obcí",
                   "sdruzeni obci": "Sdružení obcí"}


@pytest.mark.parametrize(("folded", "nominative"), v.MUNICIPAL_WORDS.items())
def test_each_municipal_word_names_the_town_s_body(folded, nominative):
    assert set(MUNICIPAL_CASES) == set(v.MUNICIPAL_WORDS)
    text = f"Název projektu: Plán služeb\n\nProjekt běží v partnerské spolupráci s {MUNICIPAL_CASES[folded]} Valašské Meziříčí.\n"
    partners = [p.name for p in extract(text, "t.txt").project.participants if p.role == Role.PARTNER]
    if folded.endswith("em") or folded in ("mesto", "obci"):  # the cases a partnership sentence takes
        assert partners == [f"{nominative} Valašské Meziříčí"]
    assert v.MUNICIPAL.fullmatch(f"{MUNICIPAL_CASES[folded]} Valašské Meziříčí")


@pytest.mark.parametrize(("written", "short"), v.WRITTEN_FORMS.items())
def test_each_written_out_legal_form_goes_after_the_name(written, short):
    assert clean_name(f"{written} Petrklíč", (0, 0))[0] == f"Petrklíč, {short}"


SOURCE_CASES = {FundingSource.ESF: "Příspěvek z ESF", FundingSource.EU: "Prostředky Evropské unie",
                FundingSource.STATE_BUDGET: "Státní rozpočet ČR", FundingSource.NATIONAL_PUBLIC: "Národní veřejné zdroje",
                FundingSource.OWN: "Vlastní zdroje", FundingSource.REGION: "Podíl Zlínského kraje",
                FundingSource.MUNICIPALITY: "Město Kelč"}


@pytest.mark.parametrize(("pattern", "source"), v.SOURCES, ids=[s.value for _, s in v.SOURCES])
def test_each_funding_word_names_its_source(pattern, source):
    assert set(SOURCE_CASES) == {s for _, s in v.SOURCES}
    assert money_kind(SOURCE_CASES[source])[0] == source


@pytest.mark.parametrize("label", ["Celkové náklady projektu", "Celkový rozpočet", "v celkové výši", "Rozpočet projektu"])
def test_total_words(label):
    assert money_kind(label) == "total"


@pytest.mark.parametrize("label", ["Výše podpory", "Dotace celkem", "Poskytnutá dotace", "získá částku"])
def test_grant_words(label):
    assert money_kind(label) == "grant"


BENEFICIARY_CASES = [
    ("realizátor", "Realizátorem projektu je Charita Kelč."),
    ("realizátor", "Na projektu pracoval realizátor Charita Kelč, partner město Kelč."),
    ("realizační tým", "Pracoval realizační tým Charita Kelč."),
    ("realizuje", "Projekt „Plán služeb“ realizuje Charita Kelč ve spolupráci s obcí Lhota."),
    ("realizuje", "Charita Kelč od května 2019 realizuje projekt."),
    ("realizován", "Projekt je realizován Charita Kelč, a Městem Kelč."),
    ("zahájil realizaci", "V lednu zahájil dne 1. 1. 2019 Zlínský kraj realizaci projektu."),
    ("žadatel", "Město Kelč podalo v roce 2006 žádost o dotaci."),
    ("tímto projektem", "Tímto projektem pomůže Charita Kelč ke zlepšení služeb v regionu."),
]


@pytest.mark.parametrize(("stated", "sentence"), BENEFICIARY_CASES)
def test_each_sentence_form_names_the_beneficiary(stated, sentence):
    assert [s for s, _ in BENEFICIARY_CASES] == [s for s, _ in v.PROSE_ROLES_BENEFICIARY]
    p = extract(f"Název projektu: Plán služeb\n\n{sentence}\n", "t.txt").project
    [beneficiary] = [(x.name, x.role_stated) for x in p.participants if x.role == Role.BENEFICIARY]
    assert beneficiary[1] == stated and beneficiary[0] in ("Charita Kelč", "Město Kelč", "Zlínský kraj")


PARTNER_CASES = ["Partnerem v projektu bylo Statutární město Přerov.", "Projekt běží v partnerské spolupráci s městem Přerov.",
                 "Statutární město Přerov bylo partnerem projektu."]


@pytest.mark.parametrize(("sentence", "pattern"), list(zip(PARTNER_CASES, v.PROSE_ROLES_PARTNER, strict=True)))
def test_each_sentence_form_names_a_partner(sentence, pattern):
    assert pattern.search(sentence)
    p = extract(f"Název projektu: Plán služeb\n\n{sentence}\n", "t.txt").project
    assert [x.name for x in p.participants if x.role == Role.PARTNER] in (["Statutární město Přerov"], ["Město Přerov"])


@pytest.mark.parametrize("word", sorted(v.GENERIC_TITLE_WORDS - {"a", "o", "–", "-"}))
def test_a_line_of_generic_words_is_no_title(word):
    found = extract(f"{word.capitalize()} informace\n\nPlánování služeb na Kelečsku\n\nProjekt trval dva roky.\n", "t.txt")
    assert found.project.name == "Plánování služeb na Kelečsku"


@pytest.mark.parametrize(("text", "months"), [("dvouletý projekt", 24), ("tříletého projektu", 36), ("pětiletý", 60),
                                              ("bude trvat 18 měsíců", 18), ("Doba trvání (v měsících): 36", 36),
                                              ("doba trvání (v měsících): 39\n\nCíl projektu: …", 39),
                                              ("po dobu dvou let", 24), ("po dobu čtyř let", 48)])
def test_durations(text, months):
    from loaders.czech import find_duration
    assert find_duration(text).value == months


@pytest.mark.parametrize(("text", "call"), [("v rámci výzvy č. 106 Operačního programu Zaměstnanost", "106"),
                                            ("Operační program Zaměstnanost (výzva 063)", "063"),
                                            ("Číslo výzvy: 03_16_063", "063"), ("výzva číslo 52", "52"),
                                            ("ve 3. kole výzvy 2019 ke grantovému schématu", None),
                                            ("výzva 3.1 grantového schématu", None)])
def test_a_call_is_read_by_its_number(text, call):
    from graph.text import fold
    found = v.CALL_NUMBER.search(fold(text))
    assert (found and found["call"]) == call


@pytest.mark.parametrize(("sentence", "word"), [("Kraj tím zlepšuje dostupnost služeb.", "Kraj"),
                                                ("Prvními partnery pro město byla charita.", "město"),
                                                ("Spolufinancován je z rozpočtu města.", "města"),
                                                ("Obec tak plní svou povinnost.", "Obec")])
def test_each_bare_word_names_the_page_own_body(sentence, word):
    m = v.BARE_BODY.search(f"Úvod. {sentence}")
    assert m and (m["subject"] or m["owner"]) == word
    assert not v.BARE_BODY.search(sentence.replace(word, f"{word} Kelč"))  # a named body is not the bare word


@pytest.mark.parametrize("head", sorted(v.ORGANISATION_HEADS))
def test_each_organisation_head_starts_a_name_in_a_run_together_list(head):
    first = head.upper() if head == "mas" else head.capitalize()
    text = (f"Plán služeb na Kelečsku\n\n1 Tento dokument vznikl v rámci projektu Plán služeb na Kelečsku. 2 Organizace podílející se na realizaci projektu Charita Kelč {first} Kelč "
            "Metodické vedení projektu Centrum pro komunitní práci Tento dokument vznikl 2\n")
    p = extract(text, "t.txt").project
    assert [x.name for x in p.participants if x.role == Role.PARTNER] == ["Charita Kelč", f"{first} Kelč",
                                                                         "Centrum pro komunitní práci"]


@pytest.mark.parametrize("heading", ["Metodické vedení projektu", "Odborný garant", "Koordinace projektu"])
def test_a_heading_run_in_among_names_parts_them(heading):
    assert v.RUN_IN_HEADING.match(heading.lower().replace("é", "e").replace("ý", "y"))


@pytest.mark.parametrize(("line", "sentence"), [("Projekt vychází ze spoluprác", True), ("Projekt se zaměřuje na obce", True),
                                                ("Projekt je součástí plánu", True), ("Projekt podporuje obce", True),
                                                ("Projekt Kelečsko plánuje", False), ("Projekt bez čísla", False),
                                                ("Projekt sociální pomoci na Kelečsku", False), ("Plánování služeb na Kelečsku", False)])
def test_a_line_that_is_a_sentence_about_the_project_is_no_title(line, sentence):
    assert bool(v.SENTENCE_ABOUT_PROJECT.match(line)) == sentence
