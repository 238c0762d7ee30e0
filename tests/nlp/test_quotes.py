"""Quotes: direct and indirect, speaker, cue and channel, in French and English; what is not a quote."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED
from veille.nlp.models import load_model, model_name
from veille.nlp.parse import Parsed, parse
from veille.nlp.quotes import find_quotes, is_headline
from veille.records import Entity, Mention, Page, Quote


def parsed_of(text: str, language: str | None, with_model: bool = True) -> Parsed:
    """Parse already-clean text (one paragraph per line) with the language's model."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    nlp = load_model(language) if with_model else None
    return parse(paragraphs, language, "2016-11-29", nlp, model_name(language) if nlp else None)


def quotes_of(text: str, language: str | None, entities: list[Entity] | None = None,
              with_model: bool = True) -> list[Quote]:
    """Return the quotes found in a text, checking that every offset slices to its text."""
    parsed = parsed_of(text, language, with_model)
    quotes = find_quotes(parsed, entities or [])
    for quote in quotes:
        assert parsed.text[quote.start:quote.end] == quote.text
        if quote.speaker_span is not None:
            span = quote.speaker_span
            assert parsed.text[span.start:span.end] == span.text
    return quotes


def one(quotes: list[Quote], starts_with: str) -> Quote:
    """Return the only quote whose text starts with some words."""
    found = [q for q in quotes if q.text.startswith(starts_with)]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def entity(text: str, phrase: str, name: str, entity_id: str = "e1") -> Entity:
    """Build by hand a person entity mentioned by a phrase of the parsed text."""
    joined = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    start = joined.index(phrase)
    return Entity(id=entity_id, name=name, type="PER", mentions=[Mention(start, start + len(phrase), phrase)])


# -- the seed page ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_parsed() -> Parsed:
    """The seed page, cleaned, then parsed in French."""
    from veille.pipeline import clean_page

    article = clean_page(Page(source=str(SEED), content=SEED.read_text(encoding="utf-8"), format="dump"))
    return parse(article.paragraphs, "fr", "2016-11-29", load_model("fr"), model_name("fr"))


def test_seed_gives_its_three_expected_quotes(seed_parsed, seed_expected):
    quotes = find_quotes(seed_parsed, [])
    for expected in seed_expected["quotes"]:
        quote = one(quotes, expected["text_starts_with"])
        assert quote.kind == expected["kind"]
        assert quote.text.endswith(expected.get("text_ends_with", ""))
        assert quote.via == expected.get("via")
    haftar, peskov, meeting = (one(quotes, e["text_starts_with"]) for e in seed_expected["quotes"])
    assert (haftar.speaker_span.text, haftar.cue) == ("l'ancien général", "a déclaré")
    assert (peskov.speaker, peskov.cue) == ("Dmitri Peskov", "a déclaré")
    assert (meeting.speaker_span.text, meeting.cue) == ("il", "a dit")


def test_seed_speakers_link_to_the_entities_their_phrases_refer_to(seed_parsed):
    text = seed_parsed.text
    start = text.index("l'ancien général")
    haftar = Entity(id="haftar", name="Khalifa Haftar", type="PER",
                    mentions=[Mention(start, start + len("l'ancien général"), "l'ancien général", "role")])
    quotes = find_quotes(seed_parsed, [haftar])
    quote = one(quotes, "Nos relations sont cruciales")
    assert (quote.speaker, quote.speaker_entity) == ("Khalifa Haftar", "haftar")


def test_seed_through_the_pipeline_names_the_speakers(seed_expected):
    import veille

    article = veille.extract(SEED.read_text(encoding="utf-8"), published="2016-11-29")
    for expected in seed_expected["quotes"]:
        quote = one(article.quotes, expected["text_starts_with"])
        assert (quote.speaker, quote.kind, quote.via) == (expected["speaker"], expected["kind"], expected.get("via"))
        assert quote.speaker_entity in {entity.id for entity in article.entities}


# -- French -----------------------------------------------------------------------------

def test_fr_quote_then_reporting_verb_and_speaker():
    [quote] = quotes_of("« Nous ne céderons rien sur ce point », a déclaré Jean Dupont, maire de la ville.", "fr")
    assert (quote.text, quote.kind) == ("Nous ne céderons rien sur ce point", "direct")
    assert (quote.speaker, quote.cue) == ("Jean Dupont", "a déclaré")


def test_fr_speaker_and_colon_before_the_quote():
    [quote] = quotes_of("La ministre Anne Martin a déclaré : « La réforme sera retirée avant l'été. »", "fr")
    assert quote.text == "La réforme sera retirée avant l'été."
    assert quote.speaker == "La ministre Anne Martin" and quote.cue == "a déclaré"


def test_fr_selon_after_a_quote():
    [quote] = quotes_of("« La situation est très grave dans le nord du pays », selon Amnesty International.", "fr")
    assert (quote.speaker, quote.cue, quote.kind) == ("Amnesty International", "selon", "direct")


def test_fr_channel_with_speaker_from_the_context():
    text = ("« Les négociations avancent bien et nous sommes confiants », a affirmé Sergueï Lavrov. "
            "« Nous voulons une solution politique rapide », rapporte l'agence Tass.")
    quotes = quotes_of(text, "fr")
    second = one(quotes, "Nous voulons une solution")
    assert second.via == "Tass"
    assert second.speaker == "Sergueï Lavrov"


def test_fr_incise_splits_a_quote_in_two_with_one_speaker():
    text = ("« Cette loi, c'est le démantèlement des services publics, affirme Marie Dausse. "
            "Je crois en une université publique, ouverte à tous. »")
    quotes = quotes_of(text, "fr")
    assert [q.text for q in quotes] == ["Cette loi, c'est le démantèlement des services publics",
                                        "Je crois en une université publique, ouverte à tous."]
    assert {q.speaker for q in quotes} == {"Marie Dausse"} and {q.cue for q in quotes} == {"affirme"}


def test_fr_incise_after_a_dash():
    text = ("« Il faudrait rendre grâce à la science de son langage conceptuel – observe-t-il dans un livre. "
            "La démocratie ne pourrait que mieux s'en porter. »")
    quotes = quotes_of(text, "fr")
    assert [q.text for q in quotes] == ["Il faudrait rendre grâce à la science de son langage conceptuel",
                                        "La démocratie ne pourrait que mieux s'en porter."]
    assert {(q.cue, q.speaker_span.text) for q in quotes} == {("observe-t-il", "il")}


def test_fr_inverted_pronoun_takes_the_name_of_the_speaker_before():
    text = ("« Le Kremlin reste en contact avec toutes les parties », a déclaré Dmitri Peskov.\n"
            "« Nous ne prenons parti pour personne dans ce conflit », a-t-il ajouté.")
    second = one(quotes_of(text, "fr"), "Nous ne prenons")
    assert second.speaker_span.text == "il" and second.cue == "a-t-il ajouté"
    assert second.speaker == "Dmitri Peskov"


def test_fr_indirect_with_infinitive_and_que_clause():
    text = ("Il a dit avoir eu un entretien lundi avec le ministre de la Défense.\n"
            "Le porte-parole du gouvernement a annoncé que la réforme serait présentée en juin.")
    quotes = quotes_of(text, "fr")
    meeting = one(quotes, "avoir eu un entretien")
    assert (meeting.kind, meeting.speaker_span.text, meeting.cue) == ("indirect", "Il", "a dit")
    reform = one(quotes, "que la réforme serait présentée")
    assert reform.speaker == "Le porte-parole du gouvernement" and reform.kind == "indirect"


def test_fr_selon_frames_an_indirect_quote():
    [quote] = quotes_of("Selon la presse locale, le général s'était déjà rendu à Moscou en septembre.", "fr")
    assert quote.text == "le général s'était déjà rendu à Moscou en septembre"
    assert (quote.speaker, quote.cue, quote.kind) == ("la presse locale", "Selon", "indirect")


def test_fr_clause_holding_quoted_words_is_mixed():
    text = "Le ministre a estimé que cette décision était « une erreur historique pour le pays » et qu'il fallait agir."
    [quote] = quotes_of(text, "fr")
    assert quote.kind == "mixed" and "« une erreur historique pour le pays »" in quote.text


# -- English ----------------------------------------------------------------------------

def test_en_quote_then_speaker_said():
    [quote] = quotes_of('"We will not back down on this issue," Senator John Smith said on Tuesday.', "en")
    assert (quote.text, quote.kind) == ("We will not back down on this issue", "direct")
    assert quote.speaker == "Senator John Smith" and quote.cue == "said"


def test_en_speaker_said_colon_quote():
    [quote] = quotes_of("The mayor said: “The bridge will reopen next week after the repairs.”", "en")
    assert quote.text == "The bridge will reopen next week after the repairs."
    assert (quote.speaker, quote.cue) == ("The mayor", "said")


def test_en_said_then_speaker_with_adding():
    text = "“It is over for the old coalition,” said Sean Spicer, adding that talks would resume in May."
    quotes = quotes_of(text, "en")
    direct = one(quotes, "It is over")
    assert (direct.speaker, direct.cue) == ("Sean Spicer", "said")
    adding = one(quotes, "that talks would resume")
    assert adding.kind == "indirect" and adding.cue == "adding"


def test_en_according_to():
    [quote] = quotes_of("According to a senior official, the plan was dropped last week.", "en")
    assert (quote.text, quote.speaker, quote.cue) == ("the plan was dropped last week", "a senior official",
                                                      "According to")


def test_en_said_that_and_told_a_channel():
    text = ("The minister said that the talks had failed.\n"
            "Clinton told Reuters that she would not leave the race.")
    quotes = quotes_of(text, "en")
    talks = one(quotes, "that the talks had failed")
    assert (talks.speaker, talks.kind, talks.via) == ("The minister", "indirect", None)
    race = one(quotes, "that she would not leave the race")
    assert (race.speaker, race.via, race.cue) == ("Clinton", "Reuters", "told")


def test_en_trailing_speaker_said():
    [quote] = quotes_of("The plan is dead and nobody will revive it, he said.", "en")
    assert quote.text == "The plan is dead and nobody will revive it" and quote.speaker_span.text == "he"


def test_en_speaker_links_to_an_entity():
    text = '"We are ready to sign the deal tomorrow," Peskov said.'
    peskov = entity(text, "Peskov", "Dmitri Peskov", "peskov")
    [quote] = quotes_of(text, "en", [peskov])
    assert (quote.speaker, quote.speaker_entity, quote.speaker_span.text) == ("Dmitri Peskov", "peskov", "Peskov")


def test_en_doubled_apostrophes_are_quote_marks():
    [quote] = quotes_of("''This isn't tax reform at all,'' said Douglas Holtz-Eakin, an economist.", "en")
    assert (quote.text, quote.speaker) == ("This isn't tax reform at all", "Douglas Holtz-Eakin")


def test_en_aside_in_parentheses_between_quote_and_verb():
    [quote] = quotes_of('"Mitt Romney was prepared and qualified," Sen. Claire McCaskill (D-Mo.) said.', "en")
    assert (quote.speaker, quote.cue) == ("Sen. Claire McCaskill", "said")


def test_en_verb_after_a_long_apposition_is_the_cue():
    text = ("''It has the important virtue of being fiscally responsible,'' Leonard E. Burman, director of the "
            "Tax Policy Center, said of the plan.")
    [quote] = quotes_of(text, "en")
    assert (quote.speaker, quote.cue) == ("Leonard E. Burman", "said")


def test_next_paragraph_words_do_not_make_a_title():
    text = ("He presented his plan.\n"
            '"We will cut taxes for every family in the country," the senator said.')
    assert one(quotes_of(text, "en"), "We will cut taxes").speaker == "the senator"


# -- marks only -------------------------------------------------------------------------

def test_language_without_lexicon_still_gets_direct_quotes_and_a_name_next_to_them():
    text = "„Wir werden diese Entscheidung nicht akzeptieren“, Angela Merkel."
    [quote] = quotes_of(text, "de")
    assert quote.text == "Wir werden diese Entscheidung nicht akzeptieren"
    assert quote.speaker == "Angela Merkel"


def test_no_model_still_gets_direct_quotes_and_a_listed_cue():
    [quote] = quotes_of("« Nous ne céderons rien sur ce point », a déclaré Jean Dupont.", "fr", with_model=False)
    assert (quote.speaker, quote.cue) == ("Jean Dupont", "a déclaré")


def test_quote_running_over_two_paragraphs_keeps_its_speaker():
    text = ('"The first part of what I have to say is about the budget and the deficit," Smith said.\n'
            '"And this goes on into a second paragraph that has no closing mark\n'
            '"and ends in the third one, where the quote is finally closed."')
    quotes = quotes_of(text, "en")
    assert len(quotes) == 3 and all(q.speaker == "Smith" for q in quotes)


def test_embedded_post_is_its_author_s_quote_without_its_link():
    text = ("Le ministre a publié un message dimanche soir, repris des milliers de fois.\n"
            "#COVID19 | La prise d'anti-inflammatoires pourrait aggraver l'infection. En cas de fièvre, prenez du paracétamol.\n"
            "Si vous êtes déjà sous traitement, demandez conseil à votre médecin https://t.co/abc123\n"
            "— Jean Dupont (@jeandupont) March 14, 2020\n"
            "Le message a été vu des millions de fois en une journée.")
    [quote] = quotes_of(text, "fr")
    assert quote.text.startswith("#COVID19 | La prise") and quote.text.endswith("votre médecin")
    assert (quote.kind, quote.speaker, quote.via) == ("direct", "Jean Dupont", "Twitter")


def test_fr_quoted_words_inside_a_reported_clause_make_one_mixed_quote():
    text = ("En revanche, l'affaire prend une tournure différente chez nous avec « le tweet du ministre "
            "français », détaille Mme Laurent.")
    [quote] = quotes_of(text, "fr")
    assert quote.kind == "mixed" and quote.text.endswith("le tweet du ministre français »")
    assert "l'affaire prend une tournure" in quote.text and quote.speaker == "Mme Laurent"


def test_fr_listed_form_the_parse_missed_takes_the_noun_phrase_before_it_as_speaker():
    text = "Le 18 décembre, le conseiller com du président lâche « qu'il est disposé à améliorer le projet »."
    [quote] = quotes_of(text, "fr")
    assert (quote.speaker, quote.cue) == ("le conseiller com du président", "lâche")


def test_fr_relative_pronoun_speaker_is_the_noun_it_hangs_on():
    text = ("L'affaire prend une tournure différente avec ce message, détaille Mme Laurent, qui développe : "
            "« Lutter contre les fausses informations est très difficile, surtout si elles viennent d'une source crédible. »")
    quote = one(quotes_of(text, "fr"), "Lutter contre")
    assert quote.speaker == "Mme Laurent"


def test_transcript_label_names_the_speaker_of_its_paragraph():
    text = ('Partial transcript as follows:\n'
            '"HOST: Let us start with the breaking news on the debate story, which everyone is talking about.\n'
            '"SMITH: Well, look, the question really should be why the other campaign invited that man to the debate."')
    quotes = quotes_of(text, "en")
    assert one(quotes, "Let us start").speaker == "HOST"
    assert one(quotes, "Well, look").speaker == "SMITH"


# -- not quotes -------------------------------------------------------------------------

def test_scare_quotes_of_one_or_two_words_are_not_quotes():
    text = ("Le gouvernement parle de « moralisation » de la vie publique et de « second cerveau », "
            "a déclaré le ministre.")
    assert [q for q in quotes_of(text, "fr") if q.kind == "direct"] == []


def test_fr_short_words_are_someone_s_when_comme_and_a_reporting_verb_follow():
    text = ("La crise submerge le public dans une « crise majeure », comme prévenait l'ONU. "
            "Elle parle aussi de « fausses nouvelles » partout.")
    [quote] = quotes_of(text, "fr")
    assert (quote.text, quote.speaker, quote.cue) == ("crise majeure", "l'ONU", "prévenait")


def test_titles_of_works_are_not_quotes():
    french = "Dans son livre « La crise commence où finit le langage », l'auteur revient sur 2008."
    english = 'He starred in the film "Gone With the Wind Again" last year.'
    assert [q for q in quotes_of(french, "fr") + quotes_of(english, "en") if q.kind == "direct"] == []


def test_headlines_give_no_quote():
    assert is_headline("Haftar : « Nous espérons éradiquer le terrorisme avec votre aide »")
    assert not is_headline("Il a dit : « Nous espérons éradiquer le terrorisme avec votre aide. »")
    assert quotes_of("Haftar : « Nous espérons éradiquer le terrorisme avec votre aide »", "fr") == []


def test_borrowed_terms_set_in_a_sentence_are_not_quotes():
    text = ("« Nous voulons la paix et rien d'autre », a déclaré le ministre.\n"
            "Le ministère distribue ensuite des « éléments de langage choisis » aux journalistes.")
    assert [q.text for q in quotes_of(text, "fr")] == ["Nous voulons la paix et rien d'autre"]


def test_questions_report_nothing():
    assert quotes_of("Selon vous, le gouvernement a-t-il eu raison de céder aux syndicats ?", "fr") == []


def test_fr_pour_a_named_group_frames_an_indirect_quote():
    [quote] = quotes_of("Pour les détracteurs du glyphosate, cette unanimité scientifique est suspecte.", "fr")
    assert (quote.text, quote.speaker, quote.cue) == ("cette unanimité scientifique est suspecte",
                                                      "les détracteurs du glyphosate", "Pour")
    assert quotes_of("Pour la même raison, le projet a été repoussé à l'automne prochain.", "fr") == []


def test_fr_appeler_x_a_reports_its_object_and_infinitive():
    [quote] = quotes_of("Le syndicat appelle les salariés à cesser le travail dès lundi matin.", "fr")
    assert quote.text == "les salariés à cesser le travail dès lundi matin" and quote.speaker == "Le syndicat"


def test_fr_pronoun_speaker_takes_the_person_named_just_before():
    text = ("Devant ses étudiants, Marie Dausse défend son point de vue. "
            "« Cette réforme détruit le service public et nous ne l'accepterons pas », affirme-t-elle.")
    dausse = entity(text, "Marie Dausse", "Marie Dausse", "dausse")
    [quote] = quotes_of(text, "fr", [dausse])
    assert (quote.speaker, quote.speaker_entity, quote.speaker_span.text) == ("Marie Dausse", "dausse", "elle")


def test_speaker_passes_to_the_next_unattributed_quote_only_when_close():
    text = ("« Nous avons perdu trop de temps avec ces discussions », a déclaré Paul Martin. "
            "« Le temps des promesses est fini pour tout le monde ici. »\n"
            "« La langue est la meilleure et la pire des choses », disait Esope. Le site publie une enquête. "
            "Il décrit la communication du palais. Les journalistes la suivent. Le palais laissait filtrer : "
            "« Le président se dit calme »")
    quotes = quotes_of(text, "fr")
    assert one(quotes, "Le temps des promesses").speaker == "Paul Martin"
    assert one(quotes, "Le président se dit calme").speaker is None


def test_speaker_passes_over_a_subhead_to_the_next_paragraph_s_quote():
    text = ("« Je suis très inquiet pour mon avenir et pour celui de mes collègues », a déclaré Paul Martin.\n"
            "Des tensions avec la présidence\n"
            "Pourtant, le métier reste une vocation : « J'ai choisi ce métier parce que je crois au partage du savoir. »")
    assert one(quotes_of(text, "fr"), "J'ai choisi").speaker == "Paul Martin"


def test_quotes_joined_by_a_comma_share_the_cue_after_the_last():
    text = ("Radio Sud : « une voix douce en mini-jupe », "
            "« intime et rieuse, un mélange de charme et d'ironie » selon Claire Moreau.")
    quotes = quotes_of(text, "fr")
    assert [q.speaker for q in quotes] == ["Claire Moreau", "Claire Moreau"]


def test_an_indirect_source_that_is_no_person_passes_on_no_speaker():
    text = ("Selon leur étude, la popularité du sujet a explosé en une journée. "
            "« Le message disait que cette information venait d'une étude de l'université de Vienne »")
    quote = one(quotes_of(text, "fr"), "Le message disait")
    assert quote.speaker is None


def test_fr_pronoun_speaker_takes_the_person_noun_subject_just_before():
    text = ("L'anthropologue étudie les mots de la crise depuis vingt ans. "
            "« Il faudrait rendre grâce à la science de son langage conceptuel – observe-t-il dans un livre. »\n"
            "Les enseignants mobilisés vivent la loi comme une remise en cause de leur statut. "
            "Pour eux, la nouvelle réforme va augmenter la précarisation des nouveaux diplômés.")
    quotes = quotes_of(text, "fr")
    assert one(quotes, "Il faudrait").speaker == "L'anthropologue"
    assert one(quotes, "la nouvelle réforme").speaker == "Les enseignants mobilisés"


def test_fr_pronoun_speaker_takes_no_subject_of_another_gender_or_that_is_no_person():
    text = ("La ministre présente son plan devant les députés. "
            "« Nous ne reculerons pas sur ce texte essentiel pour le pays », affirme-t-il.\n"
            "Le rapport dénonce la gestion de la crise sanitaire. "
            "« Nous avons manqué de masques pendant des semaines entières », affirme-t-il.")
    assert all(q.speaker == "il" for q in quotes_of(text, "fr"))


def test_speaker_inside_the_quote_is_not_taken():
    text = ("« Le danger est la propriété d'une molécule. Le risque est la probabilité d'y être exposé », "
            "précise la toxicologue Dominique Parent-Massin.")
    [quote] = quotes_of(text, "fr")
    assert quote.speaker == "la toxicologue Dominique Parent-Massin"


def test_generic_subjects_report_nobody():
    assert quotes_of("On dit souvent que la réforme des retraites est impopulaire.", "fr") == []
    assert quotes_of("You might think that the bridge will never be finished.", "en") == []


def test_plain_text_without_speech_gives_no_quote():
    text = "Le gouvernement d'union a été formé dans le cadre du processus de paix parrainé par l'Onu."
    assert quotes_of(text, "fr") == []


# -- any text ---------------------------------------------------------------------------

_PIECES = st.sampled_from(["«", "»", "“", "”", '"', "„", ", a déclaré ", " said ", "selon ", "according to ",
                           "Jean Dupont", "il", ":", ".", " ", "\n", "que ", "that ", "-t-il ", "mot", "word"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=30), st.sampled_from(["fr", "en", "xx"]))
def test_any_text_gives_quotes_whose_offsets_slice_to_their_text(pieces, language):
    quotes_of("".join(pieces), language)
