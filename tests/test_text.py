from cx.text import NameMasker, clean, detect_languages, mask_pii, split_parts, stop_words


def test_personal_data_is_masked():
    text = "Write to ana.lopez@correo.es or call +34 612 345 678; card 4111 1111 1111 1111, IBAN ES91 2100 0418 4502 0005 1332"
    masked = mask_pii(text)
    for secret in ("ana.lopez", "612 345 678", "4111 1111", "ES91"):
        assert secret not in masked
    assert "[email]" in masked and "[phone]" in masked and "[card]" in masked and "[iban]" in masked


def test_ordinary_numbers_are_not_masked():
    text = "I waited 45 minutes on 2024-03-01 and paid 1.250,00 € for order 12345"
    assert mask_pii(text) == text


def test_cleaning_removes_links_and_handles_and_collapses_space():
    assert clean("  See https://bank.example/help and @BancoAyuda\n\nplease ") == "See and please"


def test_languages_and_stop_words():
    assert detect_languages(
        ["my card arrived two weeks late", "la tarjeta llegó con dos semanas de retraso"]
    ) == ["en", "es"]
    words = stop_words(("en", "es"))
    assert {"the", "and", "el", "de", "que"} <= words and "tarjeta" not in words
    assert "unha" in stop_words(("es",))  # Galician comes with Spanish: lingua cannot tell them apart


# ---- parts --------------------------------------------------------------------------------------


def test_a_comment_is_split_into_sentences_and_clauses_in_english():
    parts = split_parts("The food was great, but the room was dirty. Also the staff were rude!")
    assert parts == ["The food was great", "the room was dirty.", "the staff were rude!"]


def test_spanish_clauses_split_at_pero_aunque_y_ademas():
    parts = split_parts(
        "Las momias están bien conservadas, aunque el lugar huele mal y además tardamos mucho en entrar. "
        "El guía era simpático pero hablaba muy deprisa"
    )
    assert parts == [
        "Las momias están bien conservadas",
        "el lugar huele mal",
        "tardamos mucho en entrar.",
        "El guía era simpático",
        "hablaba muy deprisa",
    ]


def test_galician_and_portuguese_clauses():
    assert split_parts("O persoal foi amable, mais o cuarto estaba sucio e tamén cheiraba mal.") == [
        "O persoal foi amable",
        "o cuarto estaba sucio",
        "cheiraba mal.",
    ]
    assert split_parts("A comida era boa, porém o serviço foi muito lento") == [
        "A comida era boa",
        "o serviço foi muito lento",
    ]


def test_splitting_keeps_abbreviations_decimals_and_short_pieces_together():
    assert split_parts("Dr. Smith was late. I waited 3.5 hours!") == [
        "Dr. Smith was late.",
        "I waited 3.5 hours!",
    ]
    assert split_parts("Nice, but expensive.") == ["Nice but expensive."]  # one-word pieces are not parts
    assert split_parts("más o menos bien") == ["más o menos bien"]  # "más" is not "mas"
    assert split_parts("ok") == ["ok"] and split_parts("!!! ...") == []


# ---- names --------------------------------------------------------------------------------------


def test_names_handles_urls_rt_and_numbers_are_neutralised():
    texts = [
        "RT @united: lost my bag again #United http://t.co/x 3 times",
        "Fui al Museo de las Momias en Guanajuato y olía fatal",
        "the delivery was late and Delivery Express never called",
    ]
    masker = NameMasker(
        values=["United", "Museo de las Momias", "Guanajuato", "Delivery"],
        texts=texts,
        stop=stop_words(("en", "es")),
    )
    assert masker(texts[0]) == "lost my bag again times"
    assert masker(texts[1]) == "Fui al en y olía fatal"
    # "delivery" is written as a common word, so it stays one; a URL-free text keeps its words
    assert masker(texts[2]).startswith("the delivery was late")
    assert masker("Pagué 60 € y esperé 45 minutos") == "Pagué y esperé minutos"
    assert all(not masker.contains_name(masker(t)) for t in texts)
    assert masker.contains_name("Guanajuato es bonito") and masker.contains_name("hola @alguien")
