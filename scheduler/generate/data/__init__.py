"""The generator's fixed data: the fall 2026 calendar, the curriculum, the room stock and the
names people are drawn from. Plain values only; the steps that use them are one level up."""
