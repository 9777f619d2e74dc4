"""Generate ``data/sample_survey.csv``: a fictional customer-survey export for the CX Lens demo.

The company is an imaginary Spanish/English retail bank with an online shop. The file holds ~4,100
survey responses dated 2025-01-01..2026-03-31 (fewer on weekends) with the columns
``response_id, date, region, channel, product, journey_stage, nps, csat, comment``.
Comments are ~55 % English, ~40 % Spanish and a few percent Galician and Portuguese; ~35 % are empty.

Planted patterns (with noise on top):

1. North x Phone is clearly worse (NPS around -40 there vs roughly +15..+25 elsewhere).
2. A dip in 2025-07 and 2025-08 (a "system migration"): scores drop, and complaints about the app
   crashing and payments failing spike, then scores recover from September.
3. Recurring complaint topics written in many different ways: late card/order delivery, long phone
   waits, app crashes/login problems, unexpected fees/billing errors, slow refunds, rude staff, hard to
   cancel (plus failed payments); praise topics for promoters: friendly staff, fast service, easy app,
   good rates, problem solved. Topics depend on the score, the channel, product, journey stage and month.

NPS and CSAT are correlated but not deterministically. The script is seeded, so running
``python data/make_sample.py`` rebuilds the identical file byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261122
N_ROWS = 4120
OUT_PATH = Path(__file__).resolve().parent / "sample_survey.csv"
COLUMNS = ["response_id", "date", "region", "channel", "product", "journey_stage", "nps", "csat", "comment"]

START, END = "2025-01-01", "2026-03-31"
DIP_MONTHS = ("2025-07", "2025-08")

REGIONS = {"North": 0.24, "South": 0.21, "East": 0.19, "West": 0.17, "Central": 0.19}
CHANNELS = {"Phone": 0.26, "Web": 0.24, "App": 0.32, "Store": 0.18}
CHANNELS_NORTH = {"Phone": 0.36, "Web": 0.20, "App": 0.26, "Store": 0.18}
PRODUCTS = {"Accounts": 0.34, "Cards": 0.30, "Loans": 0.16, "Insurance": 0.20}
STAGES = {"Onboarding": 0.15, "Usage": 0.34, "Billing": 0.18, "Support": 0.23, "Cancellation": 0.10}

# --- Score model: latent "likelihood to recommend" = base + effects + noise -------------------------
BASE_MU = 8.25
NOISE_SD = 2.1
REGION_EFFECT = {"North": -0.15, "South": 0.10, "East": 0.05, "West": 0.0, "Central": 0.05}
CHANNEL_EFFECT = {"Phone": -0.1, "Web": 0.0, "App": 0.15, "Store": 0.25}
PROBLEM_CELL_EFFECT = -1.45  # North x Phone
PRODUCT_EFFECT = {"Accounts": 0.10, "Cards": 0.0, "Loans": -0.20, "Insurance": -0.10}
STAGE_EFFECT = {"Onboarding": 0.30, "Usage": 0.20, "Billing": -0.40, "Support": -0.30, "Cancellation": -1.20}
MONTH_EFFECT = {"2025-07": -0.9, "2025-08": -1.0, "2025-09": -0.3}
TREND_PER_YEAR = 0.1
# CSAT (1-5) is drawn around a mean that depends on the NPS answer (index 0..10), plus noise.
CSAT_MEAN_BY_NPS = [1.2, 1.3, 1.5, 1.7, 1.9, 2.2, 2.7, 3.9, 4.3, 4.6, 4.8]
CSAT_NOISE_SD = 0.7

# Probability that a comment is left empty, by NPS group.
EMPTY_COMMENT_P = {"detractor": 0.24, "passive": 0.42, "promoter": 0.35}

LANG_BY_REGION = {
    "North": {"en": 0.49, "es": 0.39, "gl": 0.12, "pt": 0.0},
    "West": {"en": 0.50, "es": 0.38, "gl": 0.0, "pt": 0.12},
}
LANG_DEFAULT = {"en": 0.57, "es": 0.43, "gl": 0.0, "pt": 0.0}

COMPLAINTS = ["delivery", "wait", "app", "fees", "refund", "staff", "cancel", "payments"]
PRAISES = ["staff_pos", "fast", "app_pos", "rates", "resolved"]

COMPLAINT_BASE = {
    "delivery": 1.0,
    "wait": 1.0,
    "app": 1.0,
    "fees": 1.0,
    "refund": 0.8,
    "staff": 0.8,
    "cancel": 0.6,
    "payments": 0.3,
}
COMPLAINT_BOOST = {
    "channel": {
        "Phone": {"wait": 3.5, "staff": 2.0, "app": 0.4},
        "App": {"app": 3.5, "payments": 1.5, "wait": 0.5},
        "Web": {"app": 1.5, "wait": 0.6},
        "Store": {"staff": 1.8, "wait": 0.7, "app": 0.5},
    },
    "product": {
        "Cards": {"delivery": 3.5, "fees": 1.3, "payments": 1.5},
        "Accounts": {"fees": 1.2, "delivery": 0.6},
        "Loans": {"fees": 1.6, "delivery": 0.3},
        "Insurance": {"refund": 2.0, "cancel": 1.5, "delivery": 0.3},
    },
    "stage": {
        "Onboarding": {"delivery": 2.0, "app": 1.3, "cancel": 0.2},
        "Usage": {"app": 1.5, "payments": 1.5},
        "Billing": {"fees": 3.5, "refund": 1.5},
        "Support": {"wait": 1.5, "staff": 1.5},
        "Cancellation": {"cancel": 5.0},
    },
    "dip": {"app": 7.0, "payments": 10.0},
}
PRAISE_BASE = {"staff_pos": 1.0, "fast": 1.0, "app_pos": 1.0, "rates": 0.8, "resolved": 0.8}
PRAISE_BOOST = {
    "channel": {
        "Phone": {"staff_pos": 2.5, "app_pos": 0.3},
        "Store": {"staff_pos": 2.5, "app_pos": 0.3},
        "App": {"app_pos": 3.0},
        "Web": {"app_pos": 2.0},
    },
    "product": {"Loans": {"rates": 2.0}, "Accounts": {"rates": 1.5}},
    "stage": {"Support": {"resolved": 2.0}, "Onboarding": {"fast": 1.5}},
    "dip": {"app_pos": 0.3},
}

# --- Text fragments ------------------------------------------------------------------------------
# Slots in {braces} are filled per row; slots that depend on the segment are defined further below.
SLOTS = {
    "en": {
        "wait": [
            "45 minutes",
            "over an hour",
            "half an hour",
            "40 minutes",
            "nearly an hour",
            "20 minutes",
            "an hour and a half",
            "25 min",
            "50 mins",
        ],
        "weeks": [
            "three weeks",
            "two weeks",
            "a month",
            "over a month",
            "10 days",
            "almost three weeks",
            "two and a half weeks",
        ],
        "amount": ["€12", "€35", "15 euros", "€4.90", "€60", "€120", "€18.50", "9.99 euros"],
        "times": ["three times", "four times", "twice", "5 times", "several times", "like ten times"],
        "name": ["Laura", "Javier", "Marta", "Pablo", "Ana", "Carlos", "Lucía", "Sergio", "Elena", "David"],
    },
    "es": {
        "wait": [
            "45 minutos",
            "más de una hora",
            "media hora",
            "casi una hora",
            "40 minutos",
            "veinte minutos",
            "hora y media",
            "50 min",
        ],
        "weeks": [
            "tres semanas",
            "dos semanas",
            "un mes",
            "más de un mes",
            "diez días",
            "casi tres semanas",
            "quince días",
        ],
        "amount": ["12 €", "35 euros", "4,90 €", "60€", "120 euros", "18,50 €", "9,99 €"],
        "times": ["tres veces", "cuatro veces", "dos veces", "5 veces", "varias veces", "mil veces"],
        "name": ["Laura", "Javier", "Marta", "Pablo", "Ana", "Carlos", "Lucía", "Sergio", "Elena", "David"],
    },
    "gl": {
        "wait": ["media hora", "máis dunha hora", "corenta minutos", "case unha hora"],
        "weeks": ["tres semanas", "dúas semanas", "un mes", "máis dun mes"],
        "amount": ["12 €", "35 euros", "4,90 €"],
        "times": ["tres veces", "varias veces", "catro veces"],
        "name": ["Uxía", "Brais", "Antía", "Xoán", "Iria"],
    },
    "pt": {
        "wait": ["meia hora", "mais de uma hora", "quarenta minutos", "quase uma hora"],
        "weeks": ["três semanas", "duas semanas", "um mês", "mais de um mês"],
        "amount": ["12 €", "35 euros", "4,90 €"],
        "times": ["três vezes", "várias vezes", "quatro vezes"],
        "name": ["Rita", "João", "Inês", "Tiago", "Sofia"],
    },
}

PRODUCT_SLOTS = {
    "en": {
        "prod": {
            "Accounts": ["account", "current account"],
            "Cards": ["card", "credit card"],
            "Loans": ["loan", "personal loan"],
            "Insurance": ["insurance policy", "home insurance"],
        },
        "fee": {
            "Accounts": ["a maintenance fee", "a monthly account fee", "an overdraft charge"],
            "Cards": ["an annual card fee", "a cash withdrawal fee", "a foreign currency fee"],
            "Loans": ["an arrangement fee", "an early repayment fee", "a late payment charge"],
            "Insurance": ["a policy admin fee", "a renewal surcharge", "a cancellation fee"],
        },
    },
    "es": {
        "prod": {
            "Accounts": ["la cuenta"],
            "Cards": ["la tarjeta", "la tarjeta de crédito"],
            "Loans": ["el préstamo"],
            "Insurance": ["el seguro", "el seguro de hogar"],
        },
        "of_prod": {
            "Accounts": ["de la cuenta"],
            "Cards": ["de la tarjeta"],
            "Loans": ["del préstamo"],
            "Insurance": ["del seguro"],
        },
        "fee": {
            "Accounts": ["una comisión de mantenimiento", "una comisión por descubierto"],
            "Cards": [
                "la cuota anual de la tarjeta",
                "una comisión por sacar dinero en el cajero",
                "una comisión por cambio de divisa",
            ],
            "Loans": [
                "una comisión de apertura",
                "una comisión por amortización anticipada",
                "un recargo por impago",
            ],
            "Insurance": [
                "un recargo en la renovación",
                "una comisión de gestión",
                "una penalización por cancelación",
            ],
        },
    },
    "gl": {
        "prod": {
            "Accounts": ["a conta"],
            "Cards": ["a tarxeta"],
            "Loans": ["o préstamo"],
            "Insurance": ["o seguro"],
        },
    },
    "pt": {
        "prod": {
            "Accounts": ["a conta"],
            "Cards": ["o cartão"],
            "Loans": ["o crédito"],
            "Insurance": ["o seguro"],
        },
    },
}

PLACE_SLOTS = {
    "en": {
        "Phone": ["on the phone", "on the helpline"],
        "Store": ["in the branch", "at the store", "at the counter"],
        "Web": ["on the chat", "on the web chat"],
        "App": ["on the in-app chat", "through the chat"],
    },
    "es": {
        "Phone": ["por teléfono", "en el teléfono de atención al cliente"],
        "Store": ["en la oficina", "en la sucursal", "en la tienda"],
        "Web": ["por el chat", "en el chat de la web"],
        "App": ["por el chat de la app", "en el chat"],
    },
    "gl": {
        "Phone": ["por teléfono"],
        "Store": ["na oficina", "na tenda"],
        "Web": ["no chat"],
        "App": ["no chat da app"],
    },
    "pt": {
        "Phone": ["ao telefone"],
        "Store": ["na agência", "na loja"],
        "Web": ["no chat"],
        "App": ["no chat da app"],
    },
}

# Full-sentence phrasings per language and topic.
CORE = {
    "en": {
        "delivery": [
            "I've been waiting {weeks} for my new card and nobody can tell me where it is.",
            "My card still hasn't arrived after {weeks}.",
            "The replacement card took {weeks} to arrive.",
            "Ordered a new card {weeks} ago and still nothing.",
            "The card was supposed to arrive in 5 working days, it took {weeks}.",
            "Delivery was late and the tracking number never worked.",
            "My order arrived {weeks} late and nobody warned me.",
            "Still no card. I've had to borrow money from my partner in the meantime.",
            "They sent the card to my old address even though I updated it online.",
            "The card arrived but the PIN letter never did.",
            "Every time I call they tell me the card is 'on its way'. It's been {weeks}.",
            "Had to request the card twice because the first one got lost in the post.",
            "The parcel was marked as delivered but I never received anything.",
            "Waited {weeks} for a debit card, which is ridiculous in this day and age.",
            "My online order was delayed three times without any explanation.",
            "The courier never showed up and the order went back to the warehouse.",
            "Card delivery is painfully slow.",
            "I was promised the card within a week and it took {weeks}.",
            "No card, no updates, no answers.",
            "Delivery dates keep changing and no one takes responsibility.",
        ],
        "wait": [
            "I waited {wait} on the phone and nobody answered.",
            "Spent {wait} on hold just to ask a simple question.",
            "Impossible to get through to a person, the line is always busy.",
            "The call was cut off after {wait} waiting, had to start all over again.",
            "Your phone line is a joke, {wait} on hold every single time.",
            "I called {times} and never got to speak to anyone.",
            "The automated menu keeps sending me in circles and I never reach a human.",
            "Waiting times on the helpline are unacceptable.",
            "{wait} listening to the same music before someone picked up.",
            "Nobody answers the phone, and the callback they promised never happened.",
            "They said someone would call me back within 24 hours. Still waiting.",
            "Every time I ring customer service it takes at least {wait}.",
            "Way too long on hold, I gave up after {wait}.",
            "The queue at the branch was over an hour with only one desk open.",
            "You can never reach anyone by phone before 10am or after 5pm.",
            "Got transferred {times} and had to explain my problem from scratch each time.",
            "It took me {wait} to get through and then the call dropped.",
            "Customer service is basically unreachable.",
            "The recorded message says 'high call volume' every day, at any time.",
            "Had to wait {wait} to report a stolen card, which is dangerous.",
        ],
        "app": [
            "The app crashes every time I try to make a transfer.",
            "I can't log in to the app since the last update.",
            "The app keeps logging me out in the middle of a payment.",
            "Login fails constantly, it says my password is wrong when it isn't.",
            "The app freezes on the loading screen and then closes.",
            "Fingerprint login stopped working and now the app asks for a code that never arrives.",
            "The verification SMS takes so long that the session expires.",
            "App is really buggy, I had to reinstall it {times}.",
            "Half the time the app won't open at all.",
            "I couldn't check my balance for two days because the app was down.",
            "The web login page just keeps reloading.",
            "Every update makes the app worse.",
            "The app crashed while I was paying and I have no idea if the payment went through.",
            "I get an 'unexpected error' message every time I open the {prod} section.",
            "My access got blocked after the app refused my PIN, which was correct.",
            "The new app design is confusing and it crashes on my phone.",
            "The app is so slow it takes a minute to load my transactions.",
            "Can't log in on my new phone, the device activation never completes.",
            "The app closes by itself whenever I try to download a statement.",
            "Online banking was down again this weekend.",
        ],
        "fees": [
            "I was charged {fee} that nobody mentioned when I opened the {prod}.",
            "There's a charge of {amount} on my statement that I don't recognise.",
            "They charged me {amount} for a transfer that was supposed to be free.",
            "Unexpected fees every month and no clear explanation.",
            "My bill was wrong for the second month in a row.",
            "I was billed twice for the same thing.",
            "Hidden fees everywhere. The small print is ridiculous.",
            "They applied {fee} even though I meet all the conditions.",
            "I got charged {amount} for 'account maintenance' without any warning.",
            "The invoice doesn't match what I was quoted in the branch.",
            "The interest charged is higher than what we agreed.",
            "I was charged a late payment fee when I paid on time.",
            "Nobody could explain what the {amount} charge was for.",
            "The fees keep going up and they never tell you in advance.",
            "There's a billing error on my {prod} that still isn't fixed after {weeks}.",
            "The direct debit was taken twice this month.",
            "Why am I paying {amount} a month for a card I barely use?",
            "The statement is impossible to understand and full of charges.",
            "I was told there were no fees. There are.",
            "They raised my monthly payment without any notice.",
        ],
        "refund": [
            "I've been waiting {weeks} for a refund.",
            "The refund still hasn't reached my account after {weeks}.",
            "I returned the item {weeks} ago and I still haven't got my money back.",
            "They admitted the charge was a mistake but the refund takes forever.",
            "Refunds are painfully slow.",
            "I was promised the refund in 5 days. It's been {weeks}.",
            "Still waiting for the {amount} you owe me.",
            "The claim was approved but the payment never came.",
            "Every time I ask about my refund I get a different answer.",
            "It took them {weeks} to give me back money they took by mistake.",
            "The refund went to an old cancelled card and now nobody knows where the money is.",
            "I had to call {times} to get my refund moving.",
            "The refund process is a nightmare of forms and emails.",
            "Money leaves my account instantly but it takes weeks to come back.",
            "They say the refund is 'being processed' but nothing happens.",
            "I'm still owed {amount} from a cancelled order.",
        ],
        "staff": [
            "The person I spoke to {place} was rude and clearly didn't want to help.",
            "Staff were unhelpful and kept passing me from one department to another.",
            "The advisor hung up on me.",
            "Very rude treatment {place}, I felt like I was bothering them.",
            "Nobody knew the answer and they didn't bother to find out.",
            "The agent was condescending and interrupted me constantly.",
            "I was told three different things by three different people.",
            "Staff at the branch were chatting among themselves while I waited.",
            "Zero empathy. I explained I had lost my job and they just read from a script.",
            "The employee refused to help and told me to 'use the app'.",
            "Unfriendly, impatient and badly informed.",
            "The branch manager didn't even look at me while I was talking.",
            "They promised to call me back and never did.",
            "I was treated like a number, not a customer.",
            "Whoever I spoke to had no idea how the {prod} works.",
            "Rude staff, no solutions.",
        ],
        "cancel": [
            "Cancelling my {prod} has been a nightmare.",
            "I've asked {times} to close my account and it's still open.",
            "They make it deliberately hard to cancel.",
            "To cancel you have to call, and nobody answers the phone.",
            "I sent the cancellation request by email {weeks} ago and I'm still being charged.",
            "They kept trying to sell me offers instead of just processing the cancellation.",
            "There's no option to cancel in the app or on the website.",
            "I had to go to the branch in person just to cancel my {prod}.",
            "Closing the account took {weeks} and three visits.",
            "They charged me another month after I cancelled.",
            "Signing up takes 5 minutes, cancelling takes a month.",
            "The cancellation form doesn't work, it gives an error at the last step.",
            "I was told I need to send a signed letter by post. Seriously?",
            "Still waiting for confirmation that my {prod} is cancelled.",
            "The retention team would not take no for an answer.",
            "I had to call {times} before they accepted the cancellation.",
            "Every time I try to cancel online it tells me to call a number nobody picks up.",
            "I cancelled in the branch and a month later I'm still being charged for the {prod}.",
        ],
        "payments": [
            "My card payment was declined at the supermarket even though I had money.",
            "A transfer I made on Monday still hasn't arrived.",
            "Card payments failed {times} this week.",
            "The direct debit for my rent bounced for no reason.",
            "The payment shows as completed in the app but the money never arrived.",
            "Contactless stopped working and online payments get rejected.",
            "I was embarrassed at the till when my card was declined twice.",
            "Payments are failing randomly, and the money is still taken from my balance.",
            "My salary came in two days late.",
            "A transfer was sent twice and now I have to claim it back.",
            "Online purchases keep getting rejected with no explanation.",
            "My standing orders didn't go out this month.",
            "Payment errors all week.",
            "The ATM kept my card and the withdrawal failed.",
            "My transfer to another bank was stuck as 'pending' for days.",
        ],
        "staff_pos": [
            "The person who helped me {place} was really friendly and patient.",
            "Lovely staff, they explained everything clearly.",
            "{name} {place} was fantastic, thank you!",
            "Very kind and professional service.",
            "The advisor went out of her way to help me.",
            "Friendly staff who actually listen.",
            "Always treated with respect and a smile.",
            "The agent solved my problem and was very polite.",
            "Great attention, they remembered me from last time.",
            "Helpful, patient and friendly.",
            "They took their time to explain the {prod} conditions to me.",
            "Excellent customer service from start to finish.",
        ],
        "fast": [
            "Quick and easy, done in five minutes.",
            "Everything was sorted in one call.",
            "Very fast service, no waiting at all.",
            "The card arrived in two days, faster than expected.",
            "Fast, efficient and no paperwork.",
            "My {prod} was set up the same day.",
            "They answered the phone straight away.",
            "Opening the account took less than 10 minutes.",
            "Problem solved in minutes.",
            "Super quick response to my email.",
            "The refund came through in 48 hours.",
        ],
        "app_pos": [
            "The app is really easy to use.",
            "Great app, I do everything from my phone.",
            "Love the app, transfers are instant.",
            "The new app design is clean and intuitive.",
            "Very easy to manage my {prod} online.",
            "The app works perfectly, never had a problem.",
            "Being able to freeze the card from the app is brilliant.",
            "Paying with my phone is super convenient.",
            "The website is clear and simple.",
            "Good app, quick to log in with fingerprint.",
        ],
        "rates": [
            "Good rates compared to other banks.",
            "Really competitive price for my {prod}.",
            "No fees on my account, which is rare these days.",
            "Fair prices and no surprises on the bill.",
            "They gave me a better rate than my old bank.",
            "Good value for money.",
            "Transparent conditions and reasonable fees.",
            "The loan offer was the best one I found.",
            "Great cashback on card purchases.",
        ],
        "resolved": [
            "They fixed my issue on the first try.",
            "I had a problem with a charge and they sorted it quickly.",
            "Very helpful with my claim, everything resolved.",
            "They followed up afterwards to make sure everything was OK.",
            "Problem solved, thank you.",
            "Clear answers and a real solution.",
        ],
        "neutral": [
            "It's fine.",
            "Nothing special, it does the job.",
            "Ok overall.",
            "Normal service, no complaints but nothing great either.",
            "Average.",
            "Could be better, could be worse.",
            "It works.",
            "Decent, but there's room for improvement.",
            "Nothing to add.",
            "Same as any other bank really.",
        ],
    },
    "es": {
        "delivery": [
            "Llevo {weeks} esperando la tarjeta y nadie me da una respuesta.",
            "La tarjeta nueva todavía no ha llegado y ya han pasado {weeks}.",
            "Pedí una tarjeta de sustitución hace {weeks} y sigo sin ella.",
            "Me dijeron que la tarjeta llegaría en 5 días hábiles y tardó {weeks}.",
            "El envío llegó con retraso y el número de seguimiento no funcionaba.",
            "Mandaron la tarjeta a mi antigua dirección aunque la había cambiado en la web.",
            "Me llegó la tarjeta pero el PIN nunca.",
            "Cada vez que llamo me dicen que la tarjeta está en camino. Ya llevo {weeks} esperando.",
            "Tuve que pedir la tarjeta dos veces porque la primera se perdió.",
            "El pedido aparece como entregado pero a mí no me ha llegado nada.",
            "El pedido que hice en la tienda online llegó {weeks} tarde y sin avisar.",
            "El repartidor no vino nunca y el paquete volvió al almacén.",
            "Tardan muchísimo en enviar las tarjetas.",
            "Me prometieron la tarjeta en una semana y tardó {weeks}.",
            "Sin tarjeta, sin noticias y sin nadie que se haga responsable.",
            "Me han cambiado la fecha de entrega tres veces.",
            "Estoy sin tarjeta desde hace {weeks} y no puedo pagar nada por internet.",
            "La tarjeta caducó y la nueva no llegó a tiempo, me quedé sin poder pagar.",
            "El paquete llegó abierto y con {weeks} de retraso.",
            "Es increíble que tarden {weeks} en mandar una tarjeta de débito.",
        ],
        "wait": [
            "Estuve {wait} al teléfono y nadie me atendió.",
            "Es imposible hablar con una persona, siempre está comunicando.",
            "{wait} esperando para una consulta de dos minutos.",
            "Después de {wait} de espera se cortó la llamada y tuve que volver a empezar.",
            "He llamado {times} y no he conseguido hablar con nadie.",
            "La centralita te manda de un menú a otro y nunca llegas a hablar con alguien.",
            "Los tiempos de espera en el teléfono son una vergüenza.",
            "{wait} escuchando la misma musiquita hasta que alguien cogió el teléfono.",
            "No cogen el teléfono y la llamada que me prometieron nunca llegó.",
            "Me dijeron que me llamarían en 24 horas. Sigo esperando.",
            "Cada vez que llamo a atención al cliente tardan por lo menos {wait}.",
            "Colgué después de {wait} esperando.",
            "Me pasaron {times} de un departamento a otro y a cada uno le tuve que contar lo mismo.",
            "Tardé {wait} en conseguir hablar con alguien y luego se cortó.",
            "Es imposible contactar con atención al cliente.",
            "Siempre sale la grabación de 'estamos atendiendo un elevado volumen de llamadas', da igual la hora.",
            "Tuve que esperar {wait} para bloquear una tarjeta robada, es peligrosísimo.",
            "En la oficina había una cola de una hora y solo una ventanilla abierta.",
            "Nadie responde al teléfono, ni por la mañana ni por la tarde.",
            "Llamar al banco es perder la mañana entera.",
        ],
        "app": [
            "La app se cierra cada vez que intento hacer una transferencia.",
            "Desde la última actualización no puedo entrar en la app.",
            "La aplicación me echa a mitad de un pago.",
            "Me dice que la contraseña es incorrecta y no lo es.",
            "La app se queda cargando y luego se cierra sola.",
            "La huella dejó de funcionar y ahora me pide un código que nunca llega.",
            "El SMS de verificación tarda tanto que caduca la sesión.",
            "La app falla muchísimo, he tenido que reinstalarla {times}.",
            "La mitad de las veces la aplicación ni siquiera abre.",
            "Estuve dos días sin poder ver el saldo porque la app no funcionaba.",
            "La web se queda en la pantalla de inicio de sesión recargando todo el rato.",
            "Cada actualización empeora la app.",
            "La app se colgó mientras pagaba y no sé si el pago se hizo o no.",
            "Me sale 'error inesperado' cada vez que entro en el apartado {of_prod}.",
            "Me bloquearon el acceso porque la app no aceptaba mi PIN, que era el correcto.",
            "El nuevo diseño de la app es confuso y encima se cuelga.",
            "La app va lentísima, tarda un minuto en cargar los movimientos.",
            "No consigo activar la app en el móvil nuevo, el proceso nunca termina.",
            "La app se cierra cuando intento descargar un extracto.",
            "La banca online se volvió a caer el fin de semana.",
        ],
        "fees": [
            "Me han cobrado {fee} que nadie me explicó al contratar {prod}.",
            "Me aparece un cargo de {amount} en el extracto que no reconozco.",
            "Me cobraron {amount} por una transferencia que se suponía gratuita.",
            "Comisiones inesperadas todos los meses y nadie me explica por qué.",
            "El recibo viene mal por segundo mes consecutivo.",
            "Me han cobrado dos veces lo mismo.",
            "Comisiones ocultas por todas partes, la letra pequeña es de risa.",
            "Me aplicaron {fee} aunque cumplo todas las condiciones.",
            "Me cobraron {amount} de 'mantenimiento' sin avisar.",
            "La factura no coincide con lo que me dijeron en la oficina.",
            "Los intereses son más altos de lo que acordamos.",
            "Me cobraron un recargo por retraso y pagué a tiempo.",
            "Nadie supo explicarme de qué era el cargo de {amount}.",
            "Las comisiones no paran de subir y nunca avisan.",
            "Hay un error en el recibo {of_prod} y después de {weeks} sigue sin corregirse.",
            "Me pasaron el recibo domiciliado dos veces este mes.",
            "¿Por qué pago {amount} al mes por una tarjeta que casi no uso?",
            "El extracto es imposible de entender y está lleno de cargos.",
            "Me dijeron que no había comisiones. Las hay.",
            "Me han subido la cuota sin ningún aviso previo.",
        ],
        "refund": [
            "Llevo {weeks} esperando una devolución.",
            "Después de {weeks} la devolución sigue sin llegar a mi cuenta.",
            "Devolví el producto hace {weeks} y todavía no me han devuelto el dinero.",
            "Reconocieron que el cargo era un error pero la devolución no llega nunca.",
            "Las devoluciones son lentísimas.",
            "Me prometieron el reembolso en 5 días y ya llevo {weeks} esperando.",
            "Sigo esperando los {amount} que me deben.",
            "Me aprobaron el siniestro pero el pago no llega.",
            "Cada vez que pregunto por el reembolso me dicen una cosa distinta.",
            "Tardaron {weeks} en devolverme un dinero que me cobraron por error.",
            "Hicieron la devolución a una tarjeta antigua ya cancelada y ahora nadie sabe dónde está el dinero.",
            "Tuve que llamar {times} para que movieran mi devolución.",
            "Para pedir un reembolso hay que rellenar mil formularios.",
            "Para cobrarte son rapidísimos, para devolverte el dinero tardan semanas.",
            "Dicen que el reembolso está 'en trámite' pero no pasa nada.",
            "Todavía me deben {amount} de un pedido cancelado.",
        ],
        "staff": [
            "La persona que me atendió {place} fue muy borde y no tenía ninguna gana de ayudar.",
            "Me pasaban de un departamento a otro y nadie me ayudaba.",
            "El agente me colgó el teléfono.",
            "Trato pésimo {place}, parecía que les estaba molestando.",
            "Nadie sabía la respuesta y tampoco se molestaron en averiguarla.",
            "El gestor fue condescendiente y no me dejaba hablar.",
            "Tres personas distintas me dijeron tres cosas distintas.",
            "En la oficina estaban charlando entre ellos mientras yo esperaba.",
            "Cero empatía. Les expliqué que me había quedado sin trabajo y me leyeron un guion.",
            "El empleado se negó a ayudarme y me dijo que lo hiciera 'por la app'.",
            "Antipáticos, impacientes y mal informados.",
            "El director de la oficina ni me miró mientras le hablaba.",
            "Quedaron en llamarme y nunca lo hicieron.",
            "Me trataron como a un número, no como a un cliente.",
            "La persona que me atendió no tenía ni idea de cómo funciona {prod}.",
            "Mala educación y ninguna solución.",
        ],
        "cancel": [
            "Cancelar {prod} ha sido una pesadilla.",
            "He pedido {times} que me cierren la cuenta y sigue abierta.",
            "Ponen todas las trabas del mundo para darte de baja.",
            "Para darte de baja tienes que llamar, y no cogen el teléfono.",
            "Mandé la baja por correo hace {weeks} y me siguen cobrando.",
            "En vez de tramitar la baja, intentaron venderme otras ofertas.",
            "No hay opción de darse de baja ni en la app ni en la web.",
            "Tuve que ir en persona a la oficina solo para cancelar {prod}.",
            "Cerrar la cuenta me ha llevado {weeks} y tres visitas a la oficina.",
            "Me cobraron otro mes después de darme de baja.",
            "Darse de alta son 5 minutos, darse de baja un mes.",
            "El formulario de baja da error en el último paso.",
            "Me dicen que tengo que mandar una carta firmada por correo postal. ¡En pleno siglo XXI!",
            "Sigo esperando la confirmación de la baja {of_prod}.",
            "El departamento de retención no aceptaba un no por respuesta.",
            "Tuve que llamar {times} para que me tramitaran la baja.",
            "Cada vez que intento darme de baja por la web me manda a un teléfono que nadie coge.",
            "Di de baja {prod} en la oficina y un mes después me siguen cobrando.",
        ],
        "payments": [
            "Me rechazaron la tarjeta en el súper teniendo saldo.",
            "Una transferencia que hice el lunes todavía no ha llegado.",
            "El Bizum no funciona desde hace días.",
            "Los pagos con tarjeta han fallado {times} esta semana.",
            "Me devolvieron el recibo del alquiler sin motivo.",
            "En la app pone que el pago está hecho pero el dinero no ha llegado.",
            "El contactless ha dejado de funcionar y las compras online me las rechazan.",
            "Qué vergüenza pasé en la caja cuando me rechazaron la tarjeta dos veces.",
            "Los pagos fallan aleatoriamente y encima me descuentan el dinero.",
            "La nómina me entró con dos días de retraso.",
            "Una transferencia se envió dos veces y ahora tengo que reclamarla.",
            "Las compras por internet me las rechazan sin explicación.",
            "Las transferencias periódicas no salieron este mes.",
            "Errores en los pagos toda la semana.",
            "El cajero se tragó la tarjeta y no me dio el dinero.",
            "Una transferencia a otro banco se quedó 'pendiente' varios días.",
        ],
        "staff_pos": [
            "La persona que me atendió {place} fue muy amable y paciente.",
            "Un personal encantador, me lo explicaron todo muy claro.",
            "{name} {place} fue un encanto, ¡muchas gracias!",
            "Trato muy cercano y profesional.",
            "La gestora se desvivió por ayudarme.",
            "Personal amable que de verdad escucha.",
            "Siempre me tratan con respeto y con una sonrisa.",
            "El agente me solucionó el problema y fue muy educado.",
            "Muy buena atención, se acordaban de mí de la última vez.",
            "Atentos, pacientes y amables.",
            "Se tomaron su tiempo para explicarme las condiciones {of_prod}.",
            "Una atención al cliente excelente de principio a fin.",
        ],
        "fast": [
            "Rápido y fácil, en cinco minutos estaba hecho.",
            "Me lo resolvieron todo en una sola llamada.",
            "Servicio muy rápido, sin esperas.",
            "La tarjeta llegó en dos días, antes de lo esperado.",
            "Rápidos, eficaces y sin papeleo.",
            "Lo {of_prod} quedó listo el mismo día.",
            "Me cogieron el teléfono enseguida.",
            "Abrir la cuenta me llevó menos de 10 minutos.",
            "Problema resuelto en minutos.",
            "Me contestaron al correo rapidísimo.",
            "La devolución llegó en 48 horas.",
        ],
        "app_pos": [
            "La app es muy fácil de usar.",
            "La app es genial, lo hago todo desde el móvil.",
            "Me encanta la app, las transferencias son inmediatas.",
            "El nuevo diseño de la app es limpio e intuitivo.",
            "Muy cómodo gestionar {prod} desde la web.",
            "La app funciona de maravilla, nunca he tenido un problema.",
            "Poder bloquear la tarjeta desde la app es una maravilla.",
            "Pagar con el móvil es comodísimo.",
            "La web es clara y sencilla.",
            "Buena app, se entra rápido con la huella.",
        ],
        "rates": [
            "Buenas condiciones comparado con otros bancos.",
            "Las condiciones {of_prod} son muy competitivas.",
            "Sin comisiones en la cuenta, algo raro hoy en día.",
            "Precios justos y sin sorpresas en el recibo.",
            "Me dieron mejores condiciones que mi banco anterior.",
            "Buena relación calidad-precio.",
            "Condiciones transparentes y comisiones razonables.",
            "La oferta del préstamo fue la mejor que encontré.",
            "El cashback de la tarjeta está muy bien.",
        ],
        "resolved": [
            "Me solucionaron el problema a la primera.",
            "Tuve un problema con un cargo y lo arreglaron enseguida.",
            "Muy resolutivos con mi reclamación.",
            "Me llamaron después para comprobar que todo estaba bien.",
            "Problema resuelto, gracias.",
            "Respuestas claras y una solución de verdad.",
        ],
        "neutral": [
            "Está bien.",
            "Nada especial, cumple.",
            "En general bien.",
            "Normal, ni bien ni mal.",
            "Correcto.",
            "Podría ser mejor.",
            "Funciona.",
            "Aceptable, pero hay cosas que mejorar.",
            "Nada que añadir.",
            "Como cualquier otro banco.",
        ],
    },
    "gl": {
        "delivery": [
            "Levo {weeks} agardando a tarxeta e ninguén me dá unha resposta.",
            "A tarxeta nova aínda non chegou.",
            "O pedido chegou con {weeks} de atraso.",
            "Mandaron a tarxeta ao meu enderezo antigo.",
        ],
        "wait": [
            "Estiven {wait} ao teléfono e ninguén me atendeu.",
            "É imposible falar cunha persoa, sempre está comunicando.",
            "Chamei {times} e non dei falado con ninguén.",
        ],
        "app": [
            "A app péchase cada vez que intento facer unha transferencia.",
            "Dende a última actualización non podo entrar na app.",
            "A aplicación queda colgada e non hai xeito de pagar.",
        ],
        "fees": [
            "Cobráronme unha comisión que ninguén me explicou.",
            "Apareceu un cargo de {amount} que non recoñezo.",
            "O recibo veu mal outra vez.",
        ],
        "refund": [
            "Aínda estou agardando a devolución do diñeiro.",
            "Levo {weeks} agardando o reembolso.",
        ],
        "staff": [
            "O trato {place} foi moi malo, nada amables.",
            "Ninguén me soubo axudar e pasábanme dun departamento a outro.",
        ],
        "cancel": [
            "Dar de baixa {prod} é un calvario.",
            "Pedín {times} pechar a conta e segue aberta.",
        ],
        "payments": [
            "Rexeitáronme a tarxeta no súper tendo saldo.",
            "A transferencia aínda non chegou.",
        ],
        "staff_pos": ["Moi bo trato, moi amables {place}.", "{name} atendeume moi ben, moitas grazas."],
        "fast": ["Todo rápido e sen problemas.", "Resolvérono nunha soa chamada."],
        "app_pos": ["A app é moi doada de usar.", "Fago todo dende o móbil, moi cómodo."],
        "rates": ["Boas condicións no préstamo.", "Sen comisións, algo raro hoxe en día."],
        "resolved": ["Solucionáronme o problema á primeira."],
        "neutral": ["Está ben.", "Normal, nin ben nin mal.", "Podería ser mellor."],
    },
    "pt": {
        "delivery": [
            "Estou há {weeks} à espera do cartão e ninguém me dá uma resposta.",
            "O cartão novo ainda não chegou.",
            "A encomenda chegou com {weeks} de atraso.",
            "Enviaram o cartão para a minha morada antiga.",
        ],
        "wait": [
            "Estive {wait} ao telefone e ninguém me atendeu.",
            "É impossível falar com uma pessoa, está sempre impedido.",
            "Liguei {times} e não consegui falar com ninguém.",
        ],
        "app": [
            "A aplicação fecha sempre que tento fazer uma transferência.",
            "Desde a última atualização não consigo entrar na app.",
            "A app bloqueia e não há maneira de pagar.",
        ],
        "fees": [
            "Cobraram-me uma comissão que ninguém me explicou.",
            "Apareceu um débito de {amount} que não reconheço.",
            "A fatura veio errada outra vez.",
        ],
        "refund": ["Ainda estou à espera do reembolso.", "Há {weeks} que espero pela devolução do dinheiro."],
        "staff": [
            "O atendimento {place} foi péssimo, muito antipáticos.",
            "Ninguém me soube ajudar e passaram-me de um departamento para outro.",
        ],
        "cancel": ["Cancelar {prod} é um pesadelo.", "Pedi {times} para fechar a conta e continua aberta."],
        "payments": [
            "Recusaram-me o cartão no supermercado e eu tinha saldo.",
            "A transferência ainda não chegou.",
        ],
        "staff_pos": ["Atendimento muito simpático {place}.", "{name} foi impecável, muito obrigado."],
        "fast": ["Tudo muito rápido e sem complicações.", "Resolveram tudo numa só chamada."],
        "app_pos": ["A aplicação é muito fácil de usar.", "Faço tudo pelo telemóvel, muito prático."],
        "rates": ["Boas condições no crédito.", "Sem comissões, o que é raro hoje em dia."],
        "resolved": ["Resolveram o meu problema à primeira."],
        "neutral": ["Está bem.", "Normal, nem bom nem mau.", "Podia ser melhor."],
    },
}

# Very short stand-alone comments (3-6 words).
SHORT = {
    "en": {
        "delivery": [
            "Card still not here.",
            "Card took ages to arrive",
            "Late delivery, again.",
            "Where is my card??",
            "Delivery way too slow",
        ],
        "wait": [
            "Long waiting times.",
            "Nobody answers the phone",
            "Too long on hold",
            "Impossible to reach anyone",
            "{wait} on hold!!",
        ],
        "app": [
            "App keeps crashing",
            "Can't log in.",
            "app crashes constantly",
            "Login problems again",
            "Fix the app please",
            "The app is a disaster",
        ],
        "fees": [
            "Too many fees.",
            "Hidden charges everywhere",
            "Unexpected fees again",
            "billing errors every month",
            "Wrong bill, again.",
        ],
        "refund": [
            "Slow refund.",
            "Still waiting for my refund",
            "Refunds take forever",
            "Where is my money?",
        ],
        "staff": ["Rude staff.", "Very unhelpful agent", "Staff couldn't care less", "Unhelpful and rude"],
        "cancel": [
            "Impossible to cancel.",
            "Way too hard to cancel",
            "Just let me cancel!!",
            "Cancelling is a nightmare",
        ],
        "payments": [
            "Payments keep failing",
            "Card declined again",
            "transfer never arrived",
            "Failed payments.",
        ],
        "staff_pos": ["Friendly staff", "Lovely people, thanks!", "Really helpful staff"],
        "fast": ["Quick and easy.", "Fast and efficient", "No waiting at all"],
        "app_pos": ["Love the app", "Great app!", "App works great"],
        "rates": ["Good rates", "Great value", "No fees, love it"],
        "resolved": ["Problem solved, thanks", "Sorted quickly!", "All good now, thanks"],
    },
    "es": {
        "delivery": [
            "La tarjeta sigue sin llegar.",
            "Envío lentísimo",
            "¿Dónde está mi tarjeta?",
            "El pedido llegó tarde",
            "Tardaron mucho con la tarjeta",
        ],
        "wait": [
            "Demasiada espera al teléfono.",
            "No cogen el teléfono",
            "Imposible hablar con alguien",
            "Esperas eternas",
            "¡{wait} de espera!",
        ],
        "app": [
            "La app no funciona.",
            "No puedo entrar en la app",
            "la app se cuelga",
            "Arreglad la app por favor",
            "La app es un desastre",
        ],
        "fees": [
            "Demasiadas comisiones.",
            "Cargos ocultos",
            "Otra vez me cobran de más",
            "Errores en el recibo cada mes",
            "Cobros indebidos",
        ],
        "refund": [
            "Devolución lentísima.",
            "Sigo esperando mi dinero",
            "¿Dónde está mi reembolso?",
            "Tardan mucho en devolver el dinero",
        ],
        "staff": [
            "Personal muy borde.",
            "Muy mala atención",
            "Trato pésimo",
            "Nada amables",
            "Poco profesionales",
        ],
        "cancel": ["Imposible darse de baja.", "Muy difícil cancelar", "La baja es una odisea"],
        "payments": [
            "Los pagos fallan",
            "Otra vez tarjeta rechazada",
            "La transferencia no llega",
            "Pagos rechazados.",
        ],
        "staff_pos": ["Personal muy amable", "¡Un trato genial!", "Muy atentos, gracias"],
        "fast": ["Rápido y fácil.", "Muy rápidos", "Sin esperas, genial"],
        "app_pos": ["Me encanta la app", "¡Muy buena app!", "La app va genial"],
        "rates": ["Buenas condiciones", "Sin comisiones, perfecto", "Buen precio"],
        "resolved": ["Todo solucionado, gracias", "Problema resuelto enseguida", "Un 10"],
    },
    "gl": {
        "delivery": ["A tarxeta non chega"],
        "wait": ["Ninguén colle o teléfono"],
        "app": ["A app non funciona"],
        "fees": ["Demasiadas comisións"],
        "refund": ["Devolución moi lenta"],
        "staff": ["Moi mal trato"],
        "cancel": ["Imposible darse de baixa"],
        "payments": ["Os pagamentos fallan"],
        "staff_pos": ["Moi bo servizo"],
        "fast": ["Todo perfecto, grazas"],
        "app_pos": ["A app vai xenial"],
        "rates": ["Boas condicións"],
        "resolved": ["Todo solucionado"],
    },
    "pt": {
        "delivery": ["O cartão nunca mais chega"],
        "wait": ["Ninguém atende o telefone"],
        "app": ["A app não funciona"],
        "fees": ["Demasiadas comissões"],
        "refund": ["Reembolso muito lento"],
        "staff": ["Péssimo atendimento"],
        "cancel": ["Impossível cancelar"],
        "payments": ["Os pagamentos falham"],
        "staff_pos": ["Excelente atendimento"],
        "fast": ["Tudo perfeito, obrigado"],
        "app_pos": ["A app é ótima"],
        "rates": ["Boas condições"],
        "resolved": ["Tudo resolvido"],
    },
}

# Optional follow-up sentences (only the two main languages).
EXTRA = {
    "en": {
        "delivery": [
            "I travel for work so this left me without a card.",
            "The tracking page just says 'processing'.",
            "I had to go to the branch to get a temporary one.",
            "Nobody could give me a delivery date.",
            "Meanwhile I can't pay for anything online.",
        ],
        "wait": [
            "I'm paying for this call.",
            "I have a job, I can't spend my mornings on hold.",
            "In the end I had to go to the branch in person.",
            "The chat wasn't any better.",
            "This was the third time this month.",
        ],
        "app": [
            "I'm using the latest version on Android.",
            "Same thing on my iPhone and on my wife's phone.",
            "Reinstalling didn't help.",
            "Support told me to clear the cache, which did nothing.",
            "For a bank in this day and age, this isn't acceptable.",
        ],
        "fees": [
            "It's not about the money, it's the principle.",
            "I want it refunded.",
            "When I asked, they said it's 'in the contract'.",
            "No one warned me about this.",
            "I've been a customer for 12 years.",
        ],
        "refund": [
            "That money was for my rent.",
            "I have the confirmation email and everything.",
            "No one takes ownership.",
            "If this goes on I'll file a formal complaint.",
        ],
        "staff": [
            "I've never been treated like that anywhere.",
            "I asked for their name and they refused to give it.",
            "I'm 72 and not great with technology, a bit of patience would help.",
            "Training is clearly needed.",
        ],
        "cancel": [
            "I'm moving to another bank as soon as this is done.",
            "I've kept all the emails as proof.",
            "Just let me leave.",
        ],
        "payments": [
            "I had enough balance, I checked.",
            "Now my landlord is charging me a late fee.",
            "Customer service said it's a 'temporary incident'.",
        ],
        "staff_pos": [
            "I'll definitely ask for the same person next time.",
            "Made a stressful day much easier.",
        ],
        "fast": ["Didn't expect it to be that easy.", "Much better than my previous bank."],
        "app_pos": ["I almost never need to go to a branch now.", "Notifications are instant too."],
        "rates": ["I compared with three other banks.", "Will probably move my savings here too."],
        "resolved": ["I was expecting a fight and it was really easy.", "Really appreciated."],
    },
    "es": {
        "delivery": [
            "Viajo mucho por trabajo y me he quedado sin tarjeta.",
            "En la web de seguimiento solo pone 'en preparación'.",
            "Tuve que ir a la oficina a por una provisional.",
            "Nadie sabe decirme cuándo llegará.",
            "Mientras tanto no puedo comprar nada online.",
        ],
        "wait": [
            "Y encima la llamada no es gratuita.",
            "Trabajo y no puedo pasarme la mañana colgado al teléfono.",
            "Al final tuve que ir a la oficina en persona.",
            "El chat tampoco funciona mejor.",
            "Es la tercera vez este mes.",
        ],
        "app": [
            "Tengo la última versión en Android.",
            "Me pasa en el iPhone y también en el de mi mujer.",
            "He desinstalado y vuelto a instalar y nada.",
            "En soporte me dijeron que borrara la caché, no sirvió de nada.",
            "Para un banco, esto no es aceptable a estas alturas.",
        ],
        "fees": [
            "No es por el dinero, es por la forma.",
            "Quiero que me lo devuelvan.",
            "Cuando pregunté me dijeron que 'viene en el contrato'.",
            "Nadie me avisó de esto.",
            "Llevo 12 años siendo cliente.",
        ],
        "refund": [
            "Ese dinero era para pagar el alquiler.",
            "Tengo el correo de confirmación y todo.",
            "Nadie se hace responsable.",
            "Si esto sigue así pondré una reclamación en consumo.",
        ],
        "staff": [
            "Nunca me habían tratado así en ningún sitio.",
            "Pedí su nombre y no me lo quiso dar.",
            "Tengo 72 años y no me manejo bien con la tecnología, un poco de paciencia no estaría mal.",
            "Hace falta formación, está claro.",
        ],
        "cancel": [
            "En cuanto termine esto me cambio de banco.",
            "Tengo todos los correos guardados.",
            "Solo quiero irme.",
        ],
        "payments": [
            "Tenía saldo de sobra, lo comprobé.",
            "Ahora el casero me cobra recargo por retraso.",
            "En atención al cliente dicen que es una 'incidencia temporal'.",
        ],
        "staff_pos": ["La próxima vez pediré que me atienda la misma persona.", "Me alegraron el día."],
        "fast": ["No esperaba que fuera tan fácil.", "Mucho mejor que mi banco anterior."],
        "app_pos": ["Ya casi no tengo que ir a la oficina.", "Las notificaciones también llegan al momento."],
        "rates": ["Lo comparé con otros tres bancos.", "Seguramente traiga también mis ahorros."],
        "resolved": ["Esperaba tener que pelearme y fue facilísimo.", "Se agradece."],
    },
}

# Sentences about the mid-2025 system migration (used only in the dip months).
DIP_LINES = {
    "en": [
        "Since the system migration nothing works properly.",
        "Ever since the system change it's been chaos.",
        "I know you're migrating systems but this is too much.",
        "Everything broke after the big update.",
        "Is it true that all of this is because of the new system?",
        "The migration was clearly not tested.",
        "This all started with the new platform.",
    ],
    "es": [
        "Desde la migración del sistema no funciona nada bien.",
        "Desde el cambio de sistema todo es un caos.",
        "Entiendo que estéis cambiando de sistema pero esto es demasiado.",
        "Todo se estropeó con la gran actualización.",
        "¿Es verdad que todo esto es por el sistema nuevo?",
        "Está claro que la migración no se probó bien.",
        "Todo empezó con la nueva plataforma.",
    ],
    "gl": ["Dende a migración do sistema nada funciona ben."],
    "pt": ["Desde a migração do sistema nada funciona bem."],
}

# Openers ending in "," or a word run straight into the next sentence (which is then decapitalised).
OPENERS_NEG = {
    "en": [
        "Honestly,",
        "To be honest,",
        "Very disappointed.",
        "Terrible experience.",
        "Where do I start.",
        "Not happy at all.",
        "Sorry but",
        "Awful.",
        "Really frustrating.",
        "Hi,",
    ],
    "es": [
        "Sinceramente,",
        "La verdad es que",
        "Muy decepcionado.",
        "Muy decepcionada.",
        "Experiencia horrible.",
        "Fatal.",
        "No estoy nada contento.",
        "Lo siento pero",
        "Qué desastre.",
        "Hola,",
    ],
    "gl": ["Boas.", "Sinceramente,"],
    "pt": ["Boa tarde.", "Sinceramente,"],
}
CLOSERS_NEG = {
    "en": [
        "Very disappointed.",
        "Thinking of switching banks.",
        "Sort it out please.",
        "Not good enough.",
        "Will be closing my account.",
        "Unacceptable.",
        "Fix this.",
        "I expected better.",
        "I've been a customer for years and this is how you treat me.",
    ],
    "es": [
        "Qué decepción.",
        "Me estoy planteando cambiarme de banco.",
        "A ver si lo arreglan.",
        "Inaceptable.",
        "Voy a cerrar la cuenta.",
        "Esperaba mucho más.",
        "Una vergüenza.",
        "Llevo años con vosotros y así me tratáis.",
        "Así no.",
    ],
    "gl": ["Unha vergonza.", "Así non.", "Estou pensando en cambiar de banco."],
    "pt": ["Uma vergonha.", "Assim não.", "Estou a pensar mudar de banco."],
}
OPENERS_POS = {
    "en": ["Really happy.", "Great experience.", "Very satisfied.", "Nothing to complain about."],
    "es": ["Muy contento.", "Muy contenta.", "Genial.", "Muy satisfecho.", "Nada que objetar."],
    "gl": ["Moi ben."],
    "pt": ["Excelente serviço."],
}
CLOSERS_POS = {
    "en": [
        "Thanks!",
        "Keep it up.",
        "Would recommend.",
        "Thank you so much.",
        "Very happy with the service.",
        "I've already recommended you to friends.",
    ],
    "es": [
        "¡Gracias!",
        "Seguid así.",
        "Lo recomiendo.",
        "Muchas gracias.",
        "Un servicio de diez.",
        "Ya os he recomendado a mis amigos.",
    ],
    "gl": ["Grazas!", "Moi contento.", "Recoméndoo."],
    "pt": ["Obrigado!", "Muito satisfeito.", "Recomendo."],
}
BUT = {
    "en": ["But", "However,", "Only downside:", "That said,"],
    "es": ["Pero", "Eso sí,", "Lo único malo:", "Aunque"],
    "gl": ["Pero", "Iso si,"],
    "pt": ["Mas", "Só que"],
}
ALSO_NEG = {
    "en": ["Also,", "On top of that,", "And", ""],
    "es": ["Además,", "Y encima", "Por si fuera poco,", ""],
    "gl": ["Ademais,", ""],
    "pt": ["Além disso,", ""],
}
ALSO_POS = {
    "en": ["Also", "And", ""],
    "es": ["Además,", "Y además", ""],
    "gl": ["Ademais,", ""],
    "pt": ["E", ""],
}

ACCENTS = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")
SLOT_RE = re.compile(r"\{(\w+)\}")
PERSON_NAMES = {name for slots in SLOTS.values() for name in slots["name"]}


# --- Helpers -------------------------------------------------------------------------------------
def pick(rng: np.random.Generator, seq: list):
    return seq[int(rng.integers(len(seq)))]


def weighted_pick(rng: np.random.Generator, weights: dict[str, float], exclude: str | None = None) -> str:
    keys = [k for k in weights if k != exclude]
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def sample_column(rng: np.random.Generator, probs: dict[str, float], size: int) -> np.ndarray:
    keys = list(probs)
    p = np.array([probs[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _first_letter(text: str) -> int:
    """Index of the first letter, skipping leading "¿" / "¡" (-1 if there is none)."""
    return next((i for i, ch in enumerate(text) if ch.isalpha()), -1)


def decap(text: str, lang: str) -> str:
    """Lower-case the first letter (for joining after "But", "Honestly," ...), keeping "I" and names."""
    i = _first_letter(text)
    first_word = text[i:].split(" ", 1)[0].strip(",.!") if i >= 0 else ""
    if i < 0 or first_word in PERSON_NAMES or (lang == "en" and re.match(r"I\b", text[i:])):
        return text
    return text[:i] + text[i].lower() + text[i + 1 :]


def cap(text: str) -> str:
    i = _first_letter(text)
    return text if i < 0 else text[:i] + text[i].upper() + text[i + 1 :]


def joins_next(opener: str) -> bool:
    """True when the opener runs into the next sentence ("Honestly," / "La verdad es que")."""
    return not opener.endswith((".", "!", "?"))


def nps_group(score: int) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def topic_weights(base: dict, boost: dict, row: dict) -> dict[str, float]:
    weights = dict(base)
    for key, value in (
        ("channel", row["channel"]),
        ("product", row["product"]),
        ("stage", row["journey_stage"]),
    ):
        for topic, factor in boost[key].get(value, {}).items():
            weights[topic] *= factor
    if row["dip"]:
        for topic, factor in boost["dip"].items():
            weights[topic] *= factor
    return weights


# --- Comment builder ------------------------------------------------------------------------------
class CommentWriter:
    def __init__(self, rng: np.random.Generator, lang: str, row: dict):
        self.rng = rng
        self.lang = lang
        self.row = row

    def fill(self, template: str) -> str:
        lang, row = self.lang, self.row

        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name == "place":
                return pick(self.rng, PLACE_SLOTS[lang][row["channel"]])
            if name in PRODUCT_SLOTS[lang]:
                return pick(self.rng, PRODUCT_SLOTS[lang][name][row["product"]])
            return pick(self.rng, SLOTS[lang][name])

        return cap(SLOT_RE.sub(slot, template))

    def core(self, topic: str) -> str:
        return self.fill(pick(self.rng, CORE[self.lang][topic]))

    def extra(self, topic: str) -> str | None:
        options = EXTRA.get(self.lang, {}).get(topic)
        return self.fill(pick(self.rng, options)) if options else None

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def prefixed(self, prefix: str, sentence: str) -> str:
        return f"{prefix} {decap(sentence, self.lang)}" if prefix else sentence

    def assemble(self, parts: list[str], opener: str | None, closer: str | None) -> str:
        if opener:
            if joins_next(opener):
                parts[0] = f"{opener} {decap(parts[0], self.lang)}"
            else:
                parts.insert(0, opener)
        if closer and len(parts) < 4 and closer != opener:
            parts.append(closer)
        return " ".join(parts)

    def complaint(self, topics: list[str], mild: bool = False) -> str:
        rng, lang = self.rng, self.lang
        if len(topics) == 1 and self.chance(0.16 if not mild else 0.10):
            return self.fill(pick(rng, SHORT[lang][topics[0]]))
        parts = [self.core(topics[0])]
        if self.chance(0.35):
            extra = self.extra(topics[0])
            if extra:
                parts.append(extra)
        if len(topics) > 1:
            parts.append(self.prefixed(pick(rng, ALSO_NEG[lang]), self.core(topics[1])))
        if self.row["dip"] and topics[0] in ("app", "payments") and self.chance(0.5):
            parts.append(pick(rng, DIP_LINES[lang]))
        opener = pick(rng, OPENERS_NEG[lang]) if not mild and self.chance(0.25) else None
        closer = pick(rng, CLOSERS_NEG[lang]) if not mild and self.chance(0.35) else None
        return self.assemble(parts, opener, closer)

    def praise(self, topics: list[str]) -> str:
        rng, lang = self.rng, self.lang
        if len(topics) == 1 and self.chance(0.22):
            return self.fill(pick(rng, SHORT[lang][topics[0]]))
        parts = [self.core(topics[0])]
        if self.chance(0.2):
            extra = self.extra(topics[0])
            if extra:
                parts.append(extra)
        if len(topics) > 1:
            parts.append(self.prefixed(pick(rng, ALSO_POS[lang]), self.core(topics[1])))
        opener = pick(rng, OPENERS_POS[lang]) if self.chance(0.15) else None
        closer = pick(rng, CLOSERS_POS[lang]) if self.chance(0.35) else None
        return self.assemble(parts, opener, closer)

    def mixed(self, praise_topic: str, complaint_topic: str) -> str:
        good = self.core(praise_topic)
        bad = self.prefixed(pick(self.rng, BUT[self.lang]), self.core(complaint_topic))
        return f"{good} {bad}"

    def neutral(self) -> str:
        return pick(self.rng, CORE[self.lang]["neutral"])


def roughen(rng: np.random.Generator, text: str, lang: str) -> str:
    """Add the small imperfections of real free text: lowercase, missing accents, typos, no final dot."""
    if lang != "en" and rng.random() < 0.18:
        text = text.translate(ACCENTS)
        if rng.random() < 0.6:
            text = text.replace("¿", "").replace("¡", "")
    if rng.random() < 0.07:
        text = text.lower()
    if rng.random() < 0.06:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 5]
        if candidates:
            i = candidates[int(rng.integers(len(candidates)))]
            w = words[i]
            j = int(rng.integers(1, len(w) - 2))
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            text = " ".join(words)
    if text.endswith(".") and not text.endswith("..") and rng.random() < 0.15:
        text = text[:-1]
    elif text.endswith("!") and not text.endswith("!!") and rng.random() < 0.2:
        text += "!"
    return text.strip()


def write_comment(rng: np.random.Generator, row: dict) -> str:
    group = nps_group(row["nps"])
    if rng.random() < EMPTY_COMMENT_P[group]:
        return ""
    writer = CommentWriter(rng, row["lang"], row)
    complaints = topic_weights(COMPLAINT_BASE, COMPLAINT_BOOST, row)
    praises = topic_weights(PRAISE_BASE, PRAISE_BOOST, row)
    if group == "detractor":
        first = weighted_pick(rng, complaints)
        topics = [first, weighted_pick(rng, complaints, exclude=first)] if rng.random() < 0.22 else [first]
        text = writer.complaint(topics)
    elif group == "passive":
        r = rng.random()
        if r < 0.45:
            text = writer.mixed(weighted_pick(rng, praises), weighted_pick(rng, complaints))
        elif r < 0.75:
            text = writer.complaint([weighted_pick(rng, complaints)], mild=True)
        else:
            text = writer.neutral()
    else:
        r = rng.random()
        first = weighted_pick(rng, praises)
        if r < (0.2 if row["dip"] else 0.08):
            text = writer.mixed(first, weighted_pick(rng, complaints))
        elif r < 0.33:
            text = writer.praise([first, weighted_pick(rng, praises, exclude=first)])
        else:
            text = writer.praise([first])
    return roughen(rng, text, row["lang"])


# --- Table generation -----------------------------------------------------------------------------
def sample_dates(rng: np.random.Generator, size: int) -> pd.DatetimeIndex:
    days = pd.date_range(START, END, freq="D")
    weekday_weight = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.45, 0.3])[days.day_of_week]
    month = days.strftime("%Y-%m")
    month_weight = np.where(np.isin(month, DIP_MONTHS), 1.15, 1.0) * np.where(days.month == 12, 0.85, 1.0)
    growth = 1.0 + 0.15 * np.arange(len(days)) / len(days)
    w = weekday_weight * month_weight * growth
    return pd.DatetimeIndex(np.sort(days.values[rng.choice(len(days), size=size, p=w / w.sum())]))


def sample_scores(rng: np.random.Generator, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    years = (df["date"] - pd.Timestamp(START)).dt.days.to_numpy() / 365.0
    mu = (
        BASE_MU
        + df["region"].map(REGION_EFFECT).to_numpy(dtype=float)
        + df["channel"].map(CHANNEL_EFFECT).to_numpy(dtype=float)
        + df["product"].map(PRODUCT_EFFECT).to_numpy(dtype=float)
        + df["journey_stage"].map(STAGE_EFFECT).to_numpy(dtype=float)
        + df["month"].map(MONTH_EFFECT).fillna(0.0).to_numpy(dtype=float)
        + np.where((df["region"] == "North") & (df["channel"] == "Phone"), PROBLEM_CELL_EFFECT, 0.0)
        + TREND_PER_YEAR * years
    )
    nps = np.clip(np.rint(mu + rng.normal(0.0, NOISE_SD, len(df))), 0, 10).astype(int)
    csat_latent = np.array(CSAT_MEAN_BY_NPS)[nps] + rng.normal(0.0, CSAT_NOISE_SD, len(df))
    csat = np.clip(np.rint(csat_latent), 1, 5).astype(int)
    return nps, csat


def build_survey(seed: int = SEED, n_rows: int = N_ROWS) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"date": sample_dates(rng, n_rows)})
    df["region"] = sample_column(rng, REGIONS, n_rows)
    channels = sample_column(rng, CHANNELS, n_rows)
    channels_north = sample_column(rng, CHANNELS_NORTH, n_rows)
    df["channel"] = np.where(df["region"] == "North", channels_north, channels)
    df["product"] = sample_column(rng, PRODUCTS, n_rows)
    df["journey_stage"] = sample_column(rng, STAGES, n_rows)
    df["month"] = df["date"].dt.strftime("%Y-%m")
    df["nps"], df["csat"] = sample_scores(rng, df)

    langs, comments = [], []
    for row in df.to_dict("records"):
        probs = LANG_BY_REGION.get(row["region"], LANG_DEFAULT)
        row["lang"] = weighted_pick(rng, {k: v for k, v in probs.items() if v > 0})
        row["dip"] = row["month"] in DIP_MONTHS
        comment = write_comment(rng, row)
        langs.append(row["lang"] if comment else "")
        comments.append(comment)
    df["comment"] = comments
    df["response_id"] = [f"R{i:05d}" for i in range(1, n_rows + 1)]
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df[COLUMNS], langs


def nps_score(scores: pd.Series) -> float:
    return 100.0 * ((scores >= 9).mean() - (scores <= 6).mean())


def summarize(df: pd.DataFrame, langs: list[str]) -> None:
    cell = (df["region"] == "North") & (df["channel"] == "Phone")
    month = df["date"].str[:7]
    print(f"rows: {len(df)}  file: {OUT_PATH.stat().st_size / 1024:.0f} KiB")
    print(f"NPS overall: {nps_score(df['nps']):+.1f}   CSAT 4-5 share: {100 * (df['csat'] >= 4).mean():.1f}%")
    print(
        f"NPS North x Phone: {nps_score(df.loc[cell, 'nps']):+.1f} (n={cell.sum()})"
        f"   rest: {nps_score(df.loc[~cell, 'nps']):+.1f}"
    )
    print("monthly NPS:", ", ".join(f"{m} {nps_score(g):+.0f}" for m, g in df.groupby(month)["nps"]))
    print(f"empty comments: {100 * (df['comment'] == '').mean():.1f}%")
    print("comment languages:", dict(sorted(Counter(x for x in langs if x).items())))


def main() -> None:
    df, langs = build_survey()
    df.to_csv(OUT_PATH, index=False, encoding="utf-8", lineterminator="\n")
    summarize(df, langs)


if __name__ == "__main__":
    main()
