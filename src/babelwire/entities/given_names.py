"""Given names that one person carries in two forms: Ukrainian and Belarusian against Russian.

Why: news in Russian writes a Ukrainian's given name in its Russian form (Володимир
Зеленський is Владимир Зеленский in Russian media, Volodymyr Zelensky in English ones),
and no transliteration rule turns Volodymyr into Vladimir. The table lists the usual
pairs (Ukrainian romanisation → Russian romanisation); `name_key` adds a reading with
the Russian form whenever a Latin or Cyrillic name starts with a listed form, so both
spellings share a key only when the rest of the name (the surname) agrees as well.
"""

from __future__ import annotations

from collections.abc import Callable

UKRAINIAN_RUSSIAN: tuple[tuple[str, str], ...] = (
    ("volodymyr", "vladimir"), ("oleksandr", "aleksandr"), ("oleksii", "aleksei"),
    ("oleksiy", "aleksei"), ("dmytro", "dmitri"), ("andrii", "andrei"), ("andriy", "andrei"),
    ("serhii", "sergei"), ("serhiy", "sergei"), ("mykola", "nikolai"), ("mykhailo", "mikhail"),
    ("yurii", "yuri"), ("yuriy", "yuri"), ("petro", "pyotr"), ("pavlo", "pavel"),
    ("vasyl", "vasili"), ("hryhorii", "grigori"), ("yevhen", "yevgeni"), ("yevhenii", "yevgeni"),
    ("oleh", "oleg"), ("ihor", "igor"), ("vitalii", "vitali"), ("anatolii", "anatoli"),
    ("valerii", "valeri"), ("heorhii", "georgi"), ("yuliia", "yulia"), ("olena", "yelena"),
    ("iryna", "irina"), ("nataliia", "natalia"), ("tetiana", "tatiana"),
    ("kateryna", "yekaterina"), ("halyna", "galina"), ("liudmyla", "lyudmila"),
    ("denys", "denis"), ("maksym", "maksim"), ("kostiantyn", "konstantin"),
    ("bohdan", "bogdan"), ("arsenii", "arseni"),
    ("aliaksandr", "aleksandr"), ("sviatlana", "svetlana"), ("siarhei", "sergei"),
)
"""Ukrainian (and a few Belarusian) given names in Latin letters → the Russian form."""


def russian_forms(fold: Callable[[str], str]) -> dict[str, str]:
    """The table as folded token → folded Russian token, with ``fold`` the key's token fold."""
    return {fold(source): fold(target) for source, target in UKRAINIAN_RUSSIAN
            if fold(source) != fold(target)}
