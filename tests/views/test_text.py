"""Text widths as people see them, wrapping, and names made safe as file names."""

from __future__ import annotations

from scheduler.views.text import display_width, safe_filename, wrap_text, wrapped_lines


def test_chinese_characters_count_twice():
    assert display_width("Wang Fang") == 9
    assert display_width("王芳 Wang") == 9
    assert display_width("Иванова") == 7


def test_wrapping_breaks_at_spaces_and_inside_chinese_words():
    assert wrap_text("Linear algebra lecture", 10) == ["Linear", "algebra", "lecture"]
    assert wrap_text("大学英语大学英语", 8) == ["大学英语", "大学英语"]
    assert wrapped_lines("a\nb c", 10) == 2


def test_safe_filename_keeps_letters_of_any_script():
    assert safe_filename("IoT-2026-1") == "IoT-2026-1"
    assert safe_filename("王芳/Иванова: room 1") == "王芳_Иванова_room_1"
    assert safe_filename("../..") == "unnamed"
