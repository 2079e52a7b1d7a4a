"""A synthetic multilingual JSONL batch for the crash and load tests.

Each article is unique by construction: its body ends with ``marker(n)``, a
word no other article holds, so a search for it finds exactly that article and
a stored body names the line it came from. Words are drawn from small
per-language vocabularies (six scripts) by one seeded generator, so a size and a
seed give the same file; the vocabularies are large enough that no two bodies
are near duplicates (3-word shingles of random sequences barely overlap).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

VOCABULARY = {
    "en": "minister talks resume week flood northern region election court ruling bank rates"
          " strike union workers harbour storm mayor budget hospital school river bridge"
          " police report farmers drought prices market council vote",
    "de": "Minister Gespräche Woche Hochwasser Norden Wahl Gericht Urteil Bank Zinsen Streik"
          " Gewerkschaft Arbeiter Hafen Sturm Bürgermeister Haushalt Krankenhaus Schule Fluss"
          " Brücke Polizei Bericht Bauern Dürre Preise Markt Rat Abstimmung",
    "fr": "ministre négociations semaine inondations nord élection tribunal décision banque"
          " taux grève syndicat ouvriers port tempête maire budget hôpital école rivière pont"
          " police rapport agriculteurs sécheresse prix marché conseil vote",
    "ru": "министр переговоры неделя наводнение север выборы суд решение банк ставки"
          " забастовка профсоюз рабочие порт шторм мэр бюджет больница школа река мост"
          " полиция доклад фермеры засуха цены рынок совет голосование",
    "el": "υπουργός συνομιλίες εβδομάδα πλημμύρα βορράς εκλογές δικαστήριο απόφαση τράπεζα"
          " επιτόκια απεργία συνδικάτο εργάτες λιμάνι καταιγίδα δήμαρχος προϋπολογισμός"
          " νοσοκομείο σχολείο ποτάμι γέφυρα αστυνομία έκθεση αγρότες ξηρασία τιμές αγορά",
    "ar": "الوزير محادثات الأسبوع فيضان الشمال انتخابات المحكمة حكم البنك الفائدة إضراب"
          " النقابة العمال الميناء عاصفة رئيس البلدية الميزانية المستشفى المدرسة النهر"
          " الجسر الشرطة تقرير المزارعون الجفاف الأسعار السوق المجلس التصويت",
}
QUOTES = {
    "en": '"We will not close the harbour before the storm has passed," the mayor said.',
    "de": '„Wir schließen den Hafen nicht, bevor der Sturm vorbei ist", sagte der Bürgermeister.',
    "fr": '« Nous ne fermerons pas le port avant la fin de la tempête », a déclaré le maire.',
}
"""One reported-speech sentence per language the quotes stage knows: every third article
of these languages carries it, so quote rows exist to be lost or doubled."""
LANGUAGES = tuple(VOCABULARY)
WORDS_PER_ARTICLE = 60


def marker(n: int) -> str:
    """The word only article ``n`` holds (FTS tokenises it as one token)."""
    return f"zqmark{n:06d}"


def article_id(n: int) -> str:
    """The JSONL id of article ``n``."""
    return f"rel-{n:06d}"


def write_batch(path: Path, count: int, *, seed: int = 9, start: int = 0,
                broken_every: int = 0) -> Path:
    """Write ``count`` articles (numbered from ``start``) as JSON Lines to ``path``; with
    ``broken_every``, a truncated JSON line after every that many articles."""
    rng = random.Random(seed)
    words = {lang: text.split() for lang, text in VOCABULARY.items()}
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            lang = LANGUAGES[n % len(LANGUAGES)]
            body = " ".join(rng.choice(words[lang]) for _ in range(WORDS_PER_ARTICLE)) + "."
            if lang in QUOTES and (n // len(LANGUAGES)) % 3 == 0:
                body += " " + QUOTES[lang]
            record = {"id": article_id(n), "lang": lang, "url": f"https://example.org/{n}",
                      "date": "2026-11-30", "title": f"{words[lang][n % 7]} {n}",
                      "text": f"{body} {marker(n)}."}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if broken_every and (n + 1) % broken_every == 0:
                out.write(f'{{"id": "broken-{n}", "text": "cut off here\n')
    return path
