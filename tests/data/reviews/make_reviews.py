"""Builds reviews.csv: multi-aspect tourist reviews (Spanish and English) with labelled problems.

Written for CX Lens (same licence as the project): every sentence below was written by hand for this
set; a review is one to three problems, each said in one sentence, mixed with praise and the place's
name, as real reviews are. `problems` lists the labelled problems of each review (";"-separated).

    python tests/data/reviews/make_reviews.py   # rewrites reviews.csv byte for byte (seeded)
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

PROBLEMS = {
    "dirty": {
        "en": [
            "The room was dirty and the sheets had stains",
            "the bathroom was filthy, hair everywhere",
            "nobody had cleaned the toilets in hours",
            "the floor was sticky and the tables were never wiped",
            "there was dust on every surface of the room",
            "the place was grimy and clearly not cleaned",
        ],
        "es": [
            "La habitación estaba sucia y las sábanas tenían manchas",
            "el baño estaba asqueroso, lleno de pelos",
            "los baños no los había limpiado nadie en horas",
            "el suelo estaba pegajoso y nunca limpiaron las mesas",
            "había polvo por todas partes en la habitación",
            "el sitio estaba mugriento y se notaba que no limpian",
        ],
    },
    "wait": {
        "en": [
            "we queued for almost an hour to get in",
            "the food took forever to arrive",
            "we waited forty minutes just to order",
            "check-in took over an hour because of the queue",
            "the line to get tickets was endless",
            "service was painfully slow, we waited ages for the bill",
        ],
        "es": [
            "hicimos cola casi una hora para entrar",
            "la comida tardó muchísimo en llegar",
            "esperamos cuarenta minutos solo para pedir",
            "el check-in tardó más de una hora por la cola",
            "la fila para comprar las entradas era interminable",
            "el servicio fue lentísimo, tardaron siglos en traer la cuenta",
        ],
    },
    "rude": {
        "en": [
            "the staff were rude and unfriendly",
            "the receptionist was very rude to us",
            "the waiter rolled his eyes and ignored us",
            "the guard shouted at my children for no reason",
            "staff were condescending when we asked a question",
            "the manager was arrogant and would not listen",
        ],
        "es": [
            "el personal fue maleducado y antipático",
            "la recepcionista nos trató fatal",
            "el camarero nos ignoró y puso mala cara",
            "el guardia le gritó a mis hijos sin motivo",
            "los empleados contestaban de malas maneras",
            "el encargado fue prepotente y no nos escuchó",
        ],
    },
    "price": {
        "en": [
            "far too expensive for what you get",
            "the prices are a rip-off",
            "they charged us extra for things that should be included",
            "the ticket is overpriced for such a short visit",
            "the bill had charges we never ordered",
            "ridiculously overpriced drinks",
        ],
        "es": [
            "demasiado caro para lo que ofrecen",
            "los precios son un robo",
            "nos cobraron aparte cosas que deberían estar incluidas",
            "la entrada es carísima para una visita tan corta",
            "en la cuenta había cosas que no pedimos",
            "las bebidas a precios abusivos",
        ],
    },
    "noise": {
        "en": [
            "the room was so noisy we could not sleep",
            "loud music from the bar until three in the morning",
            "the walls are thin and you hear everything",
            "the traffic noise kept us awake all night",
            "it was so loud inside that we could not talk",
            "noisy neighbours and nobody did anything about it",
        ],
        "es": [
            "la habitación era tan ruidosa que no pudimos dormir",
            "música alta del bar hasta las tres de la mañana",
            "las paredes son de papel y se oye todo",
            "el ruido del tráfico no nos dejó dormir en toda la noche",
            "había tanto ruido dentro que no se podía hablar",
            "vecinos ruidosos y nadie hizo nada",
        ],
    },
    "food": {
        "en": [
            "the food was cold and tasteless",
            "my steak was burnt and the fries were soggy",
            "the fish did not taste fresh",
            "the breakfast was poor, stale bread and weak coffee",
            "the portions were tiny and bland",
            "the soup was salty and lukewarm",
        ],
        "es": [
            "la comida llegó fría y sin sabor",
            "la carne estaba quemada y las patatas blandas",
            "el pescado no sabía fresco",
            "el desayuno era pobre, pan duro y café aguado",
            "las raciones eran minúsculas y sosas",
            "la sopa estaba salada y tibia",
        ],
    },
    "smell": {
        "en": [
            "the whole place smelled bad",
            "there was a smell of damp in the room",
            "the corridor stank of sewage",
            "a musty smell everywhere",
            "the toilets smelled awful",
            "the room reeked of smoke",
        ],
        "es": [
            "todo el lugar olía mal",
            "la habitación olía a humedad",
            "el pasillo apestaba a alcantarilla",
            "un olor a cerrado por todas partes",
            "los baños olían fatal",
            "la habitación apestaba a tabaco",
        ],
    },
    "broken": {
        "en": [
            "the air conditioning did not work",
            "the shower was broken",
            "half of the exhibits were closed for repairs",
            "the lift was out of order the whole stay",
            "the wifi did not work at all",
            "the audio guide was broken",
        ],
        "es": [
            "el aire acondicionado no funcionaba",
            "la ducha estaba rota",
            "la mitad de las salas estaban cerradas por obras",
            "el ascensor estuvo averiado toda la estancia",
            "el wifi no funcionaba para nada",
            "la audioguía estaba estropeada",
        ],
    },
}
PRAISE = {
    "en": [
        "The mummies are well preserved",
        "The views from the terrace are beautiful",
        "the location is perfect",
        "the guide was very knowledgeable",
        "The building itself is stunning",
        "the desserts were delicious",
        "the bed was comfortable",
        "it is worth seeing once",
    ],
    "es": [
        "Las momias están bien conservadas",
        "Las vistas desde la terraza son preciosas",
        "la ubicación es perfecta",
        "el guía sabía muchísimo",
        "El edificio en sí es espectacular",
        "los postres estaban riquísimos",
        "la cama era cómoda",
        "merece la pena verlo una vez",
    ],
}
PLACES = [
    "Museo de las Momias",
    "Hotel Central Guanajuato",
    "Restaurante La Bodega",
    "Alhóndiga de Granaditas",
    "Hostal San Diego",
    "Café Tal",
]
JOIN = {
    "en": [". ", ", but ", ". Also ", " and also ", ". However, "],
    "es": [". ", ", pero ", ". Además, ", " y además ", ", aunque "],
}


def review(rng: random.Random, i: int) -> dict:
    lang = "es" if i % 5 < 3 else "en"
    place = PLACES[i % len(PLACES)]
    problems = rng.sample(sorted(PROBLEMS), rng.choice([1, 2, 2, 3]))
    sentences = [rng.choice(PROBLEMS[p][lang]) for p in problems]
    if rng.random() < 0.7:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(PRAISE[lang]))
    if rng.random() < 0.5:
        opening = {"en": f"We visited {place} last week", "es": f"Fuimos a {place} la semana pasada"}[lang]
        sentences.insert(0, opening)
    text = sentences[0]
    for sentence in sentences[1:]:
        joiner = rng.choice(JOIN[lang])
        start = sentence[:1].upper() if joiner.endswith(". ") else sentence[:1].lower()
        text += joiner + start + sentence[1:]
    score = rng.choice([1, 1, 2, 2])  # every review is a complaint (bottom two boxes of 1–5)
    return {
        "id": f"V{i:04d}",
        "place": place,
        "rating": score,
        "review": text + ".",
        "problems": ";".join(sorted(problems)),
    }


def main() -> None:
    rng = random.Random(12)
    rows = [review(rng, i) for i in range(240)]
    path = Path(__file__).resolve().parent / "reviews.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} reviews → {path}")


if __name__ == "__main__":
    main()
