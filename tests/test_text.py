from cx.text import clean, detect_languages, mask_pii, stop_words


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
