"""What changed between two timetables: meetings moved, added, removed and with another
interpreter, counted by hand on the tiny timetable, and listed for each cohort, teacher and
interpreter concerned."""

from __future__ import annotations

from scheduler.views.diff import Change, timetable_diff
from tests.tiny import edited, m


def test_the_same_timetable_has_no_changes(tiny, timetable):
    diff = timetable_diff(tiny, timetable, timetable)
    assert diff.changes == () and diff.unchanged == 13


def test_changes_are_paired_course_by_course_in_time_order(tiny, timetable):
    new = edited(
        # I1's 09-16 meeting moves to 09-17; its 09-15 meeting gets interpreter I2
        remove=(m(16, 3, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1"),
                # W3's Tuesday slot moves to Wednesday, in R1
                m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2"),
                # W4 loses a meeting
                m(15, 3, "W4", "L1")),
        add=(m(17, 3, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I2"),
             m(9, 3, "W3", "R1"), m(16, 1, "W3", "R1"),
             # W2 gains one
             m(10, 3, "W2", "L1")))
    diff = timetable_diff(tiny, timetable, new)
    assert diff.counts() == {"moved": 3, "added": 1, "removed": 1, "interpreter": 1,
                             "unchanged": 8}
    assert diff.changes == (
        Change("moved", "W3", m(8, 1, "W3", "R2"), m(9, 3, "W3", "R1")),
        Change("added", "W2", None, m(10, 3, "W2", "L1")),
        Change("moved", "W3", m(15, 1, "W3", "R2"), m(16, 1, "W3", "R1")),
        Change("removed", "W4", m(15, 3, "W4", "L1"), None),
        Change("interpreter", "I1", m(15, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I2")),
        Change("moved", "I1", m(16, 3, "I1", "R1", "I1"), m(17, 3, "I1", "R1", "I1")))
    first = diff.changes[0]
    assert [first.differs(f) for f in ("date", "periods", "room", "interpreter")] == [
        True, True, True, False]
    assert diff.changes[4].differs("interpreter") and not diff.changes[4].differs("date")


def test_each_change_is_listed_for_everyone_it_concerns(tiny, timetable):
    new = edited(remove=(m(15, 3, "W4", "L1"), m(15, 5, "I1", "R1", "I1")),
                 add=(m(15, 5, "I1", "R1", "I2"),))
    diff = timetable_diff(tiny, timetable, new)
    listed = [(s.kind, s.subject_id, s.change.course_id, s.change.kind)
              for s in diff.for_subjects()]
    # W4 is sub-group C1-B's lab: the whole cohort C1 and C1-B see it, C1-A does not;
    # I1 is attended by C1 (so by both sub-groups) and C2
    assert listed == [
        ("cohort", "C1", "W4", "removed"), ("cohort", "C1", "I1", "interpreter"),
        ("cohort", "C1-A", "I1", "interpreter"),
        ("cohort", "C1-B", "W4", "removed"), ("cohort", "C1-B", "I1", "interpreter"),
        ("cohort", "C2", "I1", "interpreter"),
        ("teacher", "T2", "W4", "removed"), ("teacher", "V1", "I1", "interpreter"),
        ("interpreter", "I1", "I1", "interpreter"), ("interpreter", "I2", "I1", "interpreter")]
