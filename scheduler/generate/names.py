"""Unique people's names and ids in their own scripts."""

from __future__ import annotations

import random

from scheduler.generate.data.names import (
    CN_GIVEN,
    CN_SURNAMES,
    RU_FEMALE,
    RU_MALE,
    RU_PATRONYMIC,
    RU_SURNAMES,
    TRANSLIT,
)


def _translit(text: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower()).upper()


class Names:
    """Unique people's names and ids in their own scripts, drawn from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used_names: set[str] = set()
        self._used_ids: set[str] = set()

    def _unique_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self._used_ids:
            candidate, n = f"{base}{n}", n + 1
        self._used_ids.add(candidate)
        return candidate

    def chinese(self, prefix: str) -> tuple[str, str]:
        """(id, name) such as ("CQ-ZHANGLN", "张丽娜 Zhang Lina")."""
        for _ in range(200):
            sur_han, sur_py = self._rng.choice(CN_SURNAMES)
            given_han, given_py = self._rng.choice(CN_GIVEN)
            name = f"{sur_han}{given_han} {sur_py} {given_py.replace('-', '').capitalize()}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        syllables = given_py.split("-")
        tail = syllables[0] if len(syllables) == 1 else "".join(s[0] for s in syllables)
        return self._unique_id(f"{prefix}-{sur_py.upper()}{tail.upper()}"), name

    def russian(self, prefix: str) -> tuple[str, str]:
        """(id, name) such as ("FEFU-IVANOVA", "Иванова Елена Андреевна")."""
        for _ in range(200):
            female = self._rng.random() < 0.5
            surname = self._rng.choice(RU_SURNAMES)
            stem = self._rng.choice(RU_PATRONYMIC)
            if female:
                surname, first = surname + "а", self._rng.choice(RU_FEMALE)
                patronymic = stem + "вна"
            else:
                first, patronymic = self._rng.choice(RU_MALE), stem + "вич"
            name = f"{surname} {first} {patronymic}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        base = f"{prefix}-{_translit(surname)}"
        if base in self._used_ids:
            base += _translit(first[0])
        return self._unique_id(base), name
