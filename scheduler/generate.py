"""Seeded generator of realistic, comfortably feasible instances of any size.

:func:`generate_instance` builds the CQUPT–FEFU Joint Institute (or any multiple of it) on the
fall 2026 calendar: the six programmes, mixed Chinese/Russian cohorts with sub-groups, shared
lectures per stream, labs, language courses, CQUPT teachers with weekly courses, FEFU visitors
teaching intensive courses inside one or two trips, interpreters, a room stock shared with the
rest of CQUPT (with bookings), unavailability and preferences.

Every size is built from the same steps, each a small function below:

1. plan which programme-years are open and how many students each has (`_plan_years`);
2. split them into cohorts, sub-groups and lecture streams (`_make_year`);
3. expand the curriculum into course offerings (`_offerings`);
4. give FEFU courses to visitors, the rest to CQUPT teachers (`_assign_visitors`,
   `_assign_cqupt`), place the visitors' trips (`_place_trips`);
5. size the room stock and the interpreters from the demand (`_make_rooms`,
   `_make_interpreters`), add bookings, unavailability and preferences.

Slack is built in, not checked afterwards: weekly courses fit their contact periods on *every*
weekday after holidays, CQUPT teachers carry at most half their weekly limit, visitors' trips
give at least one teaching day per three periods they teach, rooms of each type and size are
sized for about 40% daytime use by the institute (bookings add a few percent), and interpreters
for about half their weekly limit.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from scheduler.calendar import TeachingDay, TermCalendar
from scheduler.instance import (
    AdjustedWorkday,
    Block,
    Booking,
    Cohort,
    Course,
    Holiday,
    Instance,
    Interpreter,
    Level,
    Parity,
    Period,
    Preference,
    Room,
    RoomType,
    Teacher,
    Term,
    TimeMask,
    TravelWindow,
    Unavailability,
    WeekRange,
)

STEADY_STUDENTS = 1650
"""Students of the institute at full size (four UG and three PG years)."""
STEADY_SEED = 2026
"""Seed of the shipped steady-state instance ``instances/cqupt-fefu-steady``."""

# --- the fall 2026 calendar (DOMAIN.md) ------------------------------------------------------

WEEK1_MONDAY = dt.date(2026, 9, 7)
LAST_DATE = dt.date(2027, 1, 8)  # Friday of teaching week 18
EARLIEST_ARRIVAL = dt.date(2026, 9, 13)  # after the Eastern Economic Forum (early September)
LATEST_DEPARTURE = dt.date(2026, 12, 27)  # before FEFU's winter session and Russian New Year
MAX_TRIP_DAYS = 30  # a visitor's trip, arrival to departure (the 30-day visa-free stay)
TRIP_GAP_DAYS = 14  # at least two weeks at home between two trips of one visitor

_PERIOD_TIMES = (
    ("08:00", "08:45", "morning"), ("08:55", "09:40", "morning"),
    ("10:15", "11:00", "morning"), ("11:10", "11:55", "morning"),
    ("14:00", "14:45", "afternoon"), ("14:55", "15:40", "afternoon"),
    ("16:15", "17:00", "afternoon"), ("17:10", "17:55", "afternoon"),
    ("19:00", "19:45", "evening"), ("19:55", "20:40", "evening"),
    ("20:50", "21:35", "evening"), ("21:45", "22:30", "evening"),
)
_BLOCKS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (1, 4), (5, 8), (9, 11))
DAYTIME_PERIODS = 8  # periods 1-8: the day before the evening session

_HOLIDAYS = (
    (dt.date(2026, 9, 25), "Mid-Autumn Festival 中秋节"),
    (dt.date(2026, 10, 1), "National Day 国庆节"),
    (dt.date(2026, 10, 2), "National Day 国庆节"),
    (dt.date(2026, 10, 5), "National Day 国庆节"),
    (dt.date(2026, 10, 6), "National Day 国庆节"),
    (dt.date(2026, 10, 7), "National Day 国庆节"),
    (dt.date(2027, 1, 1), "New Year 元旦"),
)
_ADJUSTED = (
    AdjustedWorkday(dt.date(2026, 9, 20), 4, 3,
                    "Sunday make-up for Friday 2026-09-25 (Mid-Autumn)"),
    AdjustedWorkday(dt.date(2026, 10, 10), 4, 4,
                    "Saturday make-up for Friday 2026-10-02 (National Day)"),
)

# --- programmes and curriculum ---------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """A degree programme; ``weight`` is its students per year of study at the steady state."""

    code: str
    name: str
    level: Level
    years: int
    weight: int
    field: str


PROGRAMMES: tuple[Programme, ...] = (
    Programme("IoT", "Internet of Things Engineering", "UG", 4, 100, "iot"),
    Programme("CST", "Computer Science and Technology", "UG", 4, 100, "cs"),
    Programme("DMT", "Digital Media Technology", "UG", 4, 100, "media"),
    Programme("ICE", "Information and Communication Engineering", "PG", 3, 50, "comm"),
    Programme("MCS", "Computer Science and Technology", "PG", 3, 50, "cs"),
    Programme("CSE", "Control Science and Engineering", "PG", 3, 50, "control"),
)
_PROGRAMME = {p.code: p for p in PROGRAMMES}

# The order in which programme-years open when there are too few students for all of them:
# the inaugural IoT intake first, then first years, then later years.
_OPENING_ORDER: tuple[tuple[str, int], ...] = tuple(
    (p.code, year) for year in (1, 2, 3, 4) for p in PROGRAMMES if year <= p.years
)

Audience = Literal["stream", "cohort", "cn", "ru", "cn_joint", "lab", "halves"]
"""Who attends one offering of a template: a lecture stream, each cohort, each Chinese or
Russian language group, the Chinese groups of all programmes of one level and year in large
classes (political theory, 思政), each cohort in a lab (or its sub-groups when the lab is too
small), or each half (lab sub-group) of a cohort."""
JOINT_CLASS = 200
"""Most students in one large class of Chinese students from several programmes."""


@dataclass(frozen=True)
class Template:
    """A course of the curriculum of one programme-year, before it is given to cohorts.

    ``per_week`` of ``None`` marks a FEFU course, taught intensively by a visitor (in Russian or
    English, as the visitor chooses) when a visitor is free, otherwise weekly by CQUPT.
    """

    code: str
    name: str
    audience: Audience
    contact: int
    length: int = 2
    per_week: int | None = 2
    room_type: str = "lecture"
    language: str = "en"
    dept: str = ""
    first_week: int = 1
    alternate: bool = False
    interpreter: bool = True

    @property
    def fefu(self) -> bool:
        return self.per_week is None


def _lecture(code: str, name: str, contact: int = 48, language: str = "en", dept: str = "",
             per_week: int = 2) -> Template:
    return Template(code, name, "stream", contact, 2, per_week, "lecture", language, dept)


def _lab(code: str, name: str, room_type: str, audience: Audience = "lab",
         contact: int = 32) -> Template:
    return Template(code, name, audience, contact, 4, 1, room_type, "en", alternate=True)


def _fefu(code: str, name: str, contact: int = 48, audience: Audience = "stream",
          room_type: str = "lecture", length: int = 2, dept: str = "") -> Template:
    return Template(code, name, audience, contact, length, None, room_type, "*", dept)


def _language(code: str, name: str, audience: Audience, contact: int) -> Template:
    per_week = 2 if contact > 32 else 1
    native = "ru" if audience == "cn" else "zh"
    dept = "russian" if audience == "cn" else "chinese"
    return Template(code, name, audience, contact, 2, per_week, "seminar", native, dept,
                    interpreter=False)


def _politics(code: str, name: str) -> Template:
    return Template(code, name, "cn_joint", 32, 2, 1, "lecture", "zh", "marxism")


_COMMON: dict[tuple[Level, int], tuple[Template, ...]] = {
    ("UG", 1): (
        _lecture("MATH101", "Advanced Mathematics I 高等数学 / Высшая математика", 64,
                 dept="math"),
        Template("ENG101", "College English I 大学英语 / Английский язык", "cohort", 48, 2, 2,
                 "language_lab", "en", "english"),
        _language("RUS101", "Russian as a Foreign Language I 俄语 / Русский язык", "cn", 64),
        _language("CHN101", "Chinese as a Foreign Language I 汉语 / Китайский язык", "ru", 64),
        _politics("POL101", "Morality and Rule of Law 思想道德与法治"),
        _fefu("LINALG101", "Linear Algebra 线性代数 / Линейная алгебра", 48, dept="math"),
    ),
    ("UG", 2): (
        _lecture("PROB201", "Probability and Statistics 概率论与数理统计 / Теория вероятностей и "
                 "математическая статистика", 48, dept="math"),
        Template("ENG201", "College English III 大学英语 / Английский язык", "cohort", 32, 2, 1,
                 "language_lab", "en", "english"),
        _language("RUS201", "Russian as a Foreign Language III 俄语 / Русский язык", "cn", 48),
        _language("CHN201", "Chinese as a Foreign Language III 汉语 / Китайский язык", "ru", 48),
        _politics("POL201", "Outline of Modern Chinese History 中国近现代史纲要"),
    ),
    ("UG", 3): (
        _language("RUS301", "Russian for Specific Purposes 专业俄语 / Профессиональный русский "
                  "язык", "cn", 32),
        _language("CHN301", "Chinese for Specific Purposes 专业汉语 / Профессиональный китайский "
                  "язык", "ru", 32),
        _politics("POL301", "Introduction to Mao Zedong Thought and Socialism with Chinese "
                  "Characteristics 毛泽东思想和中国特色社会主义理论体系概论"),
    ),
    ("UG", 4): (),
    ("PG", 1): (
        _language("RUS501", "Russian for Graduate Students 研究生俄语 / Русский язык", "cn", 32),
        _language("CHN501", "Chinese for Graduate Students 研究生汉语 / Китайский язык", "ru", 32),
        _politics("POL501", "Theory and Practice of Socialism with Chinese Characteristics "
                  "新时代中国特色社会主义理论与实践"),
        Template("ENG501", "Academic Writing in English 学术英语写作 / Академическое письмо",
                 "cohort", 32, 2, 1, "language_lab", "en", "english"),
    ),
    ("PG", 2): (),
    ("PG", 3): (
        Template("SEM701", "Research Seminar 学术研讨 / Научный семинар", "cohort", 32, 2, 1,
                 "seminar", "en"),
        _fefu("WRIT701", "Scientific Writing and Publishing 科技论文写作 / Научные публикации",
              16, dept="general"),
    ),
}

_SPECIFIC: dict[tuple[str, int], tuple[Template, ...]] = {
    ("IoT", 1): (
        _lecture("PROG101", "Programming Fundamentals 程序设计基础 / Основы программирования",
                 32, per_week=1),
        _lab("PROG101L", "Programming Lab 程序设计实验 / Практикум по программированию",
             "computer_lab"),
        _fefu("IOT101", "Introduction to IoT 物联网导论 / Введение в интернет вещей", 32),
    ),
    ("CST", 1): (
        _lecture("PROG101", "Programming Fundamentals 程序设计基础 / Основы программирования",
                 32, per_week=1),
        _lab("PROG101L", "Programming Lab 程序设计实验 / Практикум по программированию",
             "computer_lab"),
        _fefu("CS101", "Introduction to Computer Science 计算机导论 / Введение в информатику",
              32),
    ),
    ("DMT", 1): (
        _lecture("DM101", "Fundamentals of Digital Media 数字媒体技术导论 / Основы цифровых "
                 "медиа", 32, per_week=1),
        _lab("DM101L", "Design Basics Studio 设计基础 / Основы дизайна", "media_studio"),
        _fefu("DM102", "Visual Communication 视觉传达 / Визуальные коммуникации", 32),
    ),
    ("IoT", 2): (
        _lecture("DL201", "Digital Logic Design 数字逻辑 / Цифровая логика"),
        _lecture("PHYS201", "College Physics 大学物理 / Физика", 48, "zh", "physics"),
        _lab("CIRC201L", "Circuit Analysis Lab 电路实验 / Лаборатория электрических цепей",
             "iot_lab"),
        _fefu("DSA201", "Data Structures and Algorithms 数据结构与算法 / Структуры данных и "
              "алгоритмы"),
    ),
    ("CST", 2): (
        _lecture("DISC201", "Discrete Mathematics 离散数学 / Дискретная математика", dept="math"),
        _lecture("PHYS201", "College Physics 大学物理 / Физика", 48, "zh", "physics"),
        _lab("DS201L", "Data Structures Lab 数据结构实验 / Практикум по структурам данных",
             "computer_lab"),
        _fefu("OOP201", "Object-Oriented Programming 面向对象程序设计 / Объектно-"
              "ориентированное программирование"),
    ),
    ("DMT", 2): (
        _lecture("IMP201", "Programming for Interactive Media 交互媒体编程 / Программирование "
                 "интерактивных медиа"),
        _lecture("CG201", "Computer Graphics 计算机图形学 / Компьютерная графика", 48, "zh"),
        _lab("MOD201L", "3D Modelling Studio 三维建模 / 3D-моделирование", "media_studio"),
        _fefu("DIP201", "Digital Image Processing 数字图像处理 / Цифровая обработка "
              "изображений"),
    ),
    ("IoT", 3): (
        _lecture("EMB301", "Embedded Systems 嵌入式系统 / Встраиваемые системы", 48),
        _lecture("COMM301", "Communication Principles 通信原理 / Теория связи", 48, "zh"),
        _lab("EMB301L", "Embedded Systems Lab 嵌入式实验 / Практикум по встраиваемым системам",
             "iot_lab"),
        _lecture("RFID301", "RFID and Sensing Technology 射频识别与传感技术 / RFID и сенсорные "
                 "технологии", 32, per_week=1),
        _fefu("WSN301", "Wireless Sensor Networks 无线传感器网络 / Беспроводные сенсорные сети"),
        _fefu("IOT302", "IoT Practice 物联网实践 / Практикум по IoT", 16, "lab", "iot_lab", 4),
    ),
    ("CST", 3): (
        _lecture("OS301", "Operating Systems 操作系统 / Операционные системы", 48),
        _lecture("NET301", "Computer Networks 计算机网络 / Компьютерные сети", 48, "zh"),
        _lab("OS301L", "Operating Systems Lab 操作系统实验 / Практикум по ОС", "computer_lab"),
        _lecture("ARCH301", "Computer Architecture 计算机体系结构 / Архитектура ЭВМ", 32,
                 per_week=1),
        _fefu("DB301", "Database Systems 数据库系统 / Базы данных"),
        _fefu("DB302", "Database Practice 数据库实践 / Практикум по базам данных", 16, "lab",
              "computer_lab", 4),
    ),
    ("DMT", 3): (
        _lecture("HCI301", "Human–Computer Interaction 人机交互 / Человеко-машинное "
                 "взаимодействие", 48),
        _lecture("AV301", "Digital Audio and Video 数字音视频技术 / Цифровое аудио и видео", 48,
                 "zh"),
        _lab("ANIM301L", "Animation Studio 动画制作 / Анимация", "media_studio"),
        _lecture("PHOTO301", "Digital Photography 数字摄影 / Цифровая фотография", 32,
                 per_week=1),
        _fefu("GAME301", "Game Design 游戏设计 / Геймдизайн"),
        _fefu("IM302", "Interactive Media Practice 交互媒体实践 / Практикум по интерактивным "
              "медиа", 16, "lab", "media_studio", 4),
    ),
    ("IoT", 4): (
        _lecture("CLOUD401", "Cloud Computing for IoT 物联网云计算 / Облачные вычисления для IoT",
                 32, per_week=1),
        _lecture("SEC401", "IoT Security 物联网安全 / Безопасность интернета вещей", 32, "zh",
                 per_week=1),
        _lab("CAP401L", "Capstone Project Lab 毕业设计实践 / Проектный практикум", "iot_lab",
             "halves"),
        _fefu("ML401", "Machine Learning 机器学习 / Машинное обучение", 32),
    ),
    ("CST", 4): (
        _lecture("COMP401", "Compiler Principles 编译原理 / Теория компиляторов", 32,
                 per_week=1),
        _lecture("SE401", "Software Engineering 软件工程 / Программная инженерия", 32, "zh",
                 per_week=1),
        _lab("CAP401L", "Capstone Project Lab 毕业设计实践 / Проектный практикум",
             "computer_lab", "halves"),
        _fefu("DIST401", "Distributed Systems 分布式系统 / Распределённые системы", 32),
    ),
    ("DMT", 4): (
        _lecture("VR401", "Virtual Reality 虚拟现实技术 / Виртуальная реальность", 32,
                 per_week=1),
        _lecture("PM401", "Digital Media Project Management 数字媒体项目管理 / Управление "
                 "медиапроектами", 32, "zh", per_week=1),
        _lab("CAP401L", "Capstone Project Lab 毕业设计实践 / Проектный практикум",
             "media_studio", "halves"),
        _fefu("CV401", "Computer Vision 计算机视觉 / Компьютерное зрение", 32),
    ),
    ("ICE", 1): (
        _lecture("MAT501", "Matrix Theory 矩阵论 / Теория матриц", 48, dept="math"),
        _lecture("STOCH501", "Stochastic Processes 随机过程 / Случайные процессы", 48, "zh"),
        _fefu("WCOM501", "Modern Wireless Communications 现代无线通信 / Современные "
              "беспроводные системы связи"),
    ),
    ("MCS", 1): (
        _lecture("COMB501", "Combinatorial Mathematics 组合数学 / Комбинаторика", 48,
                 dept="math"),
        _lecture("ALG501", "Advanced Algorithms 高级算法 / Продвинутые алгоритмы", 48, "zh"),
        _fefu("MLT501", "Machine Learning Theory 机器学习理论 / Теория машинного обучения"),
    ),
    ("CSE", 1): (
        _lecture("NUM501", "Numerical Analysis 数值分析 / Численные методы", 48, dept="math"),
        _lecture("LST501", "Linear System Theory 线性系统理论 / Теория линейных систем", 48,
                 "zh"),
        _fefu("OPT501", "Optimal Control 最优控制 / Оптимальное управление"),
    ),
    ("ICE", 2): (
        _lecture("INF601", "Information Theory 信息论 / Теория информации", 32, per_week=1),
        _lab("RP601L", "Research Practicum 科研实践 / Научно-исследовательский практикум",
             "iot_lab", "halves"),
        _fefu("DSP601", "Signal Processing for Communications 通信信号处理 / Обработка "
              "сигналов в системах связи", 32),
    ),
    ("MCS", 2): (
        _lecture("NET601", "Advanced Computer Networks 高级计算机网络 / Компьютерные сети", 32,
                 per_week=1),
        _lab("RP601L", "Research Practicum 科研实践 / Научно-исследовательский практикум",
             "computer_lab", "halves"),
        _fefu("BDA601", "Big Data Analytics 大数据分析 / Анализ больших данных", 32),
    ),
    ("CSE", 2): (
        _lecture("NLC601", "Nonlinear Control 非线性控制 / Нелинейное управление", 32,
                 per_week=1),
        _lab("RP601L", "Research Practicum 科研实践 / Научно-исследовательский практикум",
             "iot_lab", "halves"),
        _fefu("ROB601", "Robotics and Intelligent Control 机器人与智能控制 / Робототехника", 32),
    ),
    ("ICE", 3): (),
    ("MCS", 3): (),
    ("CSE", 3): (),
}


def curriculum(code: str, year: int) -> tuple[Template, ...]:
    """The courses of one programme-year this fall (common courses first)."""
    level = _PROGRAMME[code].level
    return _COMMON[(level, year)] + _SPECIFIC[(code, year)]


# --- rooms -----------------------------------------------------------------------------------

ROOM_TYPES: tuple[RoomType, ...] = (
    RoomType("lecture", "Lecture room with projector"),
    RoomType("seminar", "Small seminar room"),
    RoomType("language_lab", "Language lab with headsets"),
    RoomType("computer_lab", "Computer lab (one PC per seat)"),
    RoomType("iot_lab", "IoT / embedded systems lab (sensor kits at each bench)"),
    RoomType("media_studio", "Digital media studio"),
)
ROOM_SIZES: dict[str, tuple[int, ...]] = {
    "lecture": (60, 120, 200, 300),
    "seminar": (30, 40),
    "language_lab": (40,),
    "computer_lab": (60,),
    "iot_lab": (40,),
    "media_studio": (30,),
}
"""Seat counts of the stock, by room type (DOMAIN.md); a course goes to the smallest that fits."""
_ROOM_LABEL = {"seminar": "Seminar room", "language_lab": "Language lab",
               "computer_lab": "Computer lab", "iot_lab": "IoT lab",
               "media_studio": "Media studio"}
_BUILDINGS: dict[str, tuple[str, ...]] = {
    "lecture": ("2", "3", "1", "6"),
    "seminar": ("4", "6", "1", "7"),
    "language_lab": ("4", "7", "6"),
    "computer_lab": ("8", "9", "7"),
    "iot_lab": ("5", "9", "7"),
    "media_studio": ("5", "9", "7"),
}
_BUILDING_NAMES = {"1": "一教 Teaching Building 1", "2": "二教 Teaching Building 2",
                   "3": "三教 Teaching Building 3", "4": "四教 Teaching Building 4",
                   "5": "五教 Teaching Building 5", "6": "六教 Teaching Building 6",
                   "7": "七教 Teaching Building 7", "8": "八教 Teaching Building 8",
                   "9": "九教 Teaching Building 9"}
_FLOORS = 5
_ROOMS_PER_FLOOR = 99

_UNITS_WEEKLY = ("School of Communication and Information Engineering",
                 "School of Computer Science and Technology", "School of Economics and Management",
                 "School of Software Engineering", "School of Foreign Languages",
                 "School of Automation", "School of Optoelectronic Engineering",
                 "Institute of IoT research", "Graduate School")
_UNITS_DATED = ("University examination", "Academic lecture series",
                "CET-4 listening test rehearsal", "Student union event",
                "Career fair presentation", "Teaching inspection")

# --- names -----------------------------------------------------------------------------------

_CN_SURNAMES = tuple(tuple(pair.split()) for pair in (
    "王 Wang", "李 Li", "张 Zhang", "刘 Liu", "陈 Chen", "杨 Yang", "赵 Zhao", "黄 Huang",
    "周 Zhou", "吴 Wu", "徐 Xu", "孙 Sun", "胡 Hu", "朱 Zhu", "高 Gao", "林 Lin", "何 He",
    "郭 Guo", "马 Ma", "罗 Luo", "梁 Liang", "宋 Song", "郑 Zheng", "谢 Xie", "韩 Han",
    "唐 Tang", "冯 Feng", "于 Yu", "董 Dong", "萧 Xiao", "程 Cheng", "曹 Cao", "袁 Yuan",
    "邓 Deng", "许 Xu", "傅 Fu", "沈 Shen", "曾 Zeng", "彭 Peng", "苏 Su", "卢 Lu",
    "蒋 Jiang", "蔡 Cai", "贾 Jia", "丁 Ding", "魏 Wei", "薛 Xue", "叶 Ye", "阎 Yan",
    "余 Yu", "潘 Pan", "杜 Du", "戴 Dai", "夏 Xia", "钟 Zhong", "汪 Wang", "田 Tian",
    "任 Ren", "姜 Jiang", "范 Fan", "方 Fang", "石 Shi", "姚 Yao", "谭 Tan", "廖 Liao",
    "邹 Zou", "熊 Xiong", "金 Jin", "陆 Lu", "郝 Hao", "孔 Kong", "白 Bai", "崔 Cui",
    "康 Kang", "毛 Mao", "邱 Qiu", "秦 Qin", "江 Jiang", "史 Shi", "顾 Gu", "侯 Hou",
    "邵 Shao", "孟 Meng", "龙 Long", "万 Wan", "段 Duan", "雷 Lei", "钱 Qian", "汤 Tang",
    "尹 Yin", "黎 Li", "易 Yi", "常 Chang", "武 Wu", "乔 Qiao", "贺 He", "赖 Lai",
    "龚 Gong", "文 Wen",
))
"""Common Chinese surnames with their pinyin."""
_CN_GIVEN = tuple(tuple(pair.split()) for pair in (
    "芳 Fang", "伟 Wei", "丽娜 Li-na", "敏 Min", "静 Jing", "强 Qiang", "磊 Lei", "军 Jun",
    "洋 Yang", "勇 Yong", "艳 Yan", "杰 Jie", "娟 Juan", "涛 Tao", "明 Ming", "超 Chao",
    "秀英 Xiu-ying", "霞 Xia", "平 Ping", "刚 Gang", "雪 Xue", "浩 Hao", "曦 Xi", "宇 Yu",
    "鑫 Xin", "婷 Ting", "博 Bo", "志强 Zhi-qiang", "建华 Jian-hua", "晓燕 Xiao-yan",
    "海燕 Hai-yan", "斌 Bin", "颖 Ying", "琳 Lin", "佳 Jia", "欣怡 Xin-yi", "俊杰 Jun-jie",
    "思远 Si-yuan", "文博 Wen-bo", "立新 Li-xin", "红梅 Hong-mei", "国庆 Guo-qing",
    "晓明 Xiao-ming", "子涵 Zi-han", "雨桐 Yu-tong", "志明 Zhi-ming", "春华 Chun-hua",
    "嘉怡 Jia-yi", "一鸣 Yi-ming",
))
"""Given names with their pinyin (syllables joined by "-")."""
_RU_SURNAMES = (
    "Иванов", "Петров", "Смирнов", "Козлов", "Соколов", "Попов", "Лебедев", "Новиков",
    "Морозов", "Волков", "Фёдоров", "Михайлов", "Кузнецов", "Васильев", "Павлов", "Семёнов",
    "Голубев", "Виноградов", "Богданов", "Воробьёв", "Зайцев", "Орлов", "Никитин",
    "Захаров", "Медведев", "Ершов", "Тихонов", "Белов", "Комаров", "Киселёв", "Макаров",
    "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Баранов", "Куликов",
    "Алексеев", "Степанов", "Яковлев", "Сорокин", "Романов", "Фролов", "Журавлёв",
    "Николаев", "Крылов", "Максимов", "Осипов", "Егоров", "Матвеев", "Бобров", "Дмитриев",
    "Калинин", "Антонов", "Тимофеев", "Филиппов", "Марков", "Миронов", "Александров",
    "Коновалов", "Казаков", "Ефимов", "Денисов", "Громов", "Фомин", "Давыдов", "Мельников",
    "Щербаков", "Карпов", "Власов", "Маслов", "Гаврилов", "Родионов", "Котов", "Горбунов",
    "Быков", "Зуев", "Панов", "Суворов", "Абрамов", "Воронов", "Мухин", "Архипов",
    "Трофимов", "Мартынов", "Чернов", "Назаров", "Лобанов", "Лукин", "Потапов", "Некрасов",
    "Жданов", "Наумов", "Ермаков", "Дроздов", "Игнатьев", "Савин", "Логинов", "Кириллов",
    "Моисеев", "Елисеев", "Костин", "Орехов", "Ефремов", "Исаев", "Евдокимов", "Юдин",
    "Лапин", "Прохоров", "Нестеров", "Зимин", "Шубин", "Филатов", "Рогов", "Молчанов",
    "Гурьев", "Гришин", "Кононов", "Симонов", "Фадеев", "Носов", "Шаров", "Устинов",
    "Евсеев",
)
"""Russian surnames (masculine form; the feminine adds а)."""
_RU_MALE = (
    "Алексей", "Дмитрий", "Сергей", "Андрей", "Иван", "Михаил", "Николай", "Павел",
    "Владимир", "Евгений", "Игорь", "Олег", "Юрий", "Виктор", "Максим", "Артём", "Роман",
    "Константин", "Григорий", "Василий", "Антон", "Борис",
)
_RU_FEMALE = (
    "Елена", "Ольга", "Анна", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария",
    "Екатерина", "Юлия", "Марина", "Валентина", "Людмила", "Вера", "Ксения", "Дарья",
    "Полина", "Алла", "Надежда", "Галина",
)
_RU_PATRONYMIC = (
    "Андрее", "Сергее", "Викторо", "Игоре", "Алексее", "Павло", "Николае", "Владимиро",
    "Петро", "Михайло", "Юрье", "Олего", "Дмитрие", "Борисо", "Геннадье", "Ивано",
    "Евгенье",
)
"""Stems of patronymics: add вич (men) or вна (women)."""
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                      "", "e", "yu", "ya"], strict=True))


def _translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower()).upper()


class _Names:
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
            sur_han, sur_py = self._rng.choice(_CN_SURNAMES)
            given_han, given_py = self._rng.choice(_CN_GIVEN)
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
            surname = self._rng.choice(_RU_SURNAMES)
            stem = self._rng.choice(_RU_PATRONYMIC)
            if female:
                surname, first = surname + "а", self._rng.choice(_RU_FEMALE)
                patronymic = stem + "вна"
            else:
                first, patronymic = self._rng.choice(_RU_MALE), stem + "вич"
            name = f"{surname} {first} {patronymic}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        base = f"{prefix}-{_translit(surname)}"
        if base in self._used_ids:
            base += _translit(first[0])
        return self._unique_id(base), name


# --- plan: programme-years, cohorts, streams -------------------------------------------------


@dataclass(frozen=True)
class YearPlan:
    """One open programme-year and its students."""

    programme: Programme
    year: int
    students: int

    @property
    def intake(self) -> int:
        return 2026 - self.year + 1

    @property
    def prefix(self) -> str:
        return f"{self.programme.code}-{self.intake}"


@dataclass(frozen=True)
class CohortPlan:
    """A cohort with its sub-groups (language groups, or lab halves, or none)."""

    cohort: Cohort
    subgroups: tuple[Cohort, ...] = ()
    language_groups: bool = False

    def native(self, language: str) -> tuple[Cohort, ...]:
        """Language sub-groups of the students whose native language is ``language``."""
        if not self.language_groups:
            return ()
        if language == "zh":
            return tuple(g for g in self.subgroups if g.students_cn)
        return tuple(g for g in self.subgroups if g.students_ru)


@dataclass(frozen=True)
class Stream:
    """Cohorts of one programme-year that attend lectures together."""

    id: str
    cohorts: tuple[CohortPlan, ...]


@dataclass(frozen=True)
class YearGroups:
    plan: YearPlan
    streams: tuple[Stream, ...]

    @property
    def cohorts(self) -> tuple[CohortPlan, ...]:
        return tuple(c for s in self.streams for c in s.cohorts)


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    quotas = [total * w / sum(weights) for w in weights]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _plan_years(students: int, min_year: int) -> list[YearPlan]:
    """Open programme-years in opening order while each would get ``min_year`` students."""
    order = [(_PROGRAMME[code], year) for code, year in _OPENING_ORDER]
    opened = 1
    for k in range(2, len(order) + 1):
        weights = [p.weight for p, _ in order[:k]]
        if students * min(weights) / sum(weights) >= min_year:
            opened = k
    chosen = order[:opened]
    counts = _largest_remainder(students, [p.weight for p, _ in chosen])
    return [YearPlan(p, y, n) for (p, y), n in zip(chosen, counts, strict=True) if n > 0]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _cohort_sizes(rng: random.Random, students: int, target: int, largest: int) -> list[int]:
    count = max(1, math.ceil(students / largest), round(students / target))
    sizes = _split(students, count)
    for _ in range(count):  # a little unevenness, staying within bounds
        i, j = rng.randrange(count), rng.randrange(count)
        step = rng.randint(1, 2)
        if i != j and sizes[i] + step <= largest and sizes[j] - step >= max(2, target - 10):
            sizes[i] += step
            sizes[j] -= step
    return sizes


def _russians(rng: random.Random, size: int, share: float) -> int:
    """Russian students of a cohort: about ``share``, mixed (one of each at least) unless the
    share is 0 or 1 or the cohort has a single student."""
    jitter = rng.uniform(-0.07, 0.07)
    if share in (0, 1) or size < 2:
        return round(size * share)
    return min(size - 1, max(1, round(size * min(0.95, max(0.05, share + jitter)))))


def _needs_halves(plan: YearPlan, size: int) -> bool:
    """True when a cohort without language groups needs lab halves for some course."""
    for t in curriculum(plan.programme.code, plan.year):
        if t.audience == "halves":
            return True
        if t.audience == "lab" and size > max(ROOM_SIZES[t.room_type]):
            return True
    return False


def _language_groups(parent: Cohort, group_size: int) -> tuple[Cohort, ...]:
    groups: list[Cohort] = []
    for tag, count in (("CN", parent.students_cn), ("RU", parent.students_ru)):
        if not count:
            continue
        parts = _split(count, math.ceil(count / group_size))
        for k, n in enumerate(parts, start=1):
            suffix = tag if len(parts) == 1 else f"{tag}{k}"
            cn, ru = (n, 0) if tag == "CN" else (0, n)
            groups.append(replace(parent, id=f"{parent.id}-{suffix}", students_cn=cn,
                                  students_ru=ru, parent=parent.id))
    return tuple(groups)


def _halves(parent: Cohort) -> tuple[Cohort, ...]:
    cn, ru = parent.students_cn, parent.students_ru
    first = (cn - cn // 2, ru // 2)
    second = (cn // 2, ru - ru // 2)
    return tuple(replace(parent, id=f"{parent.id}-L{k}", students_cn=c, students_ru=r,
                         parent=parent.id)
                 for k, (c, r) in enumerate((first, second), start=1) if c + r)


def _has_language_courses(plan: YearPlan) -> bool:
    return any(t.audience in ("cn", "ru") for t in curriculum(plan.programme.code, plan.year))


def _stream_label(k: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[k] if k < 26 else f"{letters[k // 26 - 1]}{letters[k % 26]}"


def _make_year(rng: random.Random, plan: YearPlan, params: Params) -> YearGroups:
    sizes = _cohort_sizes(rng, plan.students, params.cohort_size, params.max_cohort_size)
    cohorts: list[CohortPlan] = []
    for k, size in enumerate(sizes, start=1):
        ru = _russians(rng, size, params.russian_share)
        cohort = Cohort(f"{plan.prefix}-{k}", plan.programme.name, plan.programme.level,
                        plan.year, size - ru, ru, ("en",))
        if _has_language_courses(plan):
            groups = _language_groups(cohort, params.language_group_size)
            cohorts.append(CohortPlan(cohort, groups, language_groups=True))
        elif size >= 2 and _needs_halves(plan, size):
            cohorts.append(CohortPlan(cohort, _halves(cohort)))
        else:
            cohorts.append(CohortPlan(cohort))
    parts = _split(len(cohorts), math.ceil(len(cohorts) / params.stream_cohorts))
    streams, start = [], 0
    for k, n in enumerate(parts):
        streams.append(Stream(f"{plan.prefix}-{_stream_label(k)}",
                              tuple(cohorts[start:start + n])))
        start += n
    return YearGroups(plan, tuple(streams))


# --- offerings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offering:
    """One course to be: a template given to its attendees, before teachers and weeks."""

    id: str
    name: str
    template: Template
    cohorts: tuple[Cohort, ...]
    roots: tuple[str, ...]
    programme: Programme
    year: int

    @property
    def size(self) -> int:
        return sum(c.size for c in self.cohorts)


def _audiences(t: Template, stream: Stream) -> Iterator[tuple[str, str, tuple[Cohort, ...]]]:
    """(label, description, cohorts) of each offering of ``t`` in ``stream``."""
    if t.audience == "stream":
        yield stream.id, f"stream {stream.id}", tuple(c.cohort for c in stream.cohorts)
    for plan in stream.cohorts:
        if t.audience == "cohort":
            yield plan.cohort.id, f"cohort {plan.cohort.id}", (plan.cohort,)
        elif t.audience in ("cn", "ru"):
            for g in plan.native("zh" if t.audience == "cn" else "ru"):
                yield g.id, f"group {g.id}", (g,)
        elif t.audience == "lab" and (plan.cohort.size <= max(ROOM_SIZES[t.room_type])
                                      or not plan.subgroups):
            yield plan.cohort.id, f"cohort {plan.cohort.id}", (plan.cohort,)
        elif t.audience in ("lab", "halves"):
            groups = plan.subgroups or (plan.cohort,)
            for g in groups:
                yield g.id, f"group {g.id}", (g,)


def _offering(t: Template, label: str, what: str, cohorts: tuple[Cohort, ...],
              year: YearGroups) -> Offering:
    roots = tuple(dict.fromkeys(c.parent or c.id for c in cohorts))
    return Offering(f"{t.code}-{label}", f"{t.name} ({what})", t, cohorts, roots,
                    year.plan.programme, year.plan.year)


def _joint_classes(t: Template, years: Sequence[YearGroups]) -> Iterator[Offering]:
    """Large classes of the Chinese students of several programmes (whole streams each)."""
    classes: list[tuple[YearGroups, list[Cohort]]] = []
    for year in years:
        for stream in year.streams:
            groups = [g for c in stream.cohorts for g in c.native("zh")]
            size = sum(g.size for g in groups)
            if groups and classes and \
                    sum(g.size for g in classes[-1][1]) + size <= JOINT_CLASS:
                classes[-1][1].extend(groups)
            elif groups:
                classes.append((year, groups))
    level = years[0].plan.programme.level
    for k, (year, groups) in enumerate(classes, start=1):
        label = f"{level}{years[0].plan.year}-{k}"
        yield _offering(t, label, f"Chinese students, class {label}", tuple(groups), year)


def _offerings(years: Sequence[YearGroups]) -> list[Offering]:
    found: list[Offering] = []
    joint: dict[tuple[str, int, str], tuple[Template, list[YearGroups]]] = {}
    for year in years:
        plan = year.plan
        for t in curriculum(plan.programme.code, plan.year):
            if t.audience == "cn_joint":
                key = (plan.programme.level, plan.year, t.code)
                joint.setdefault(key, (t, []))[1].append(year)
                continue
            for stream in year.streams:
                for label, what, cohorts in _audiences(t, stream):
                    found.append(_offering(t, label, what, cohorts, year))
    for t, joined in joint.values():
        found.extend(_joint_classes(t, joined))
    return found


# --- the calendar and week ranges ------------------------------------------------------------


def _base_instance(name: str) -> Instance:
    """The term, grid, blocks and holidays alone (enough for :class:`TermCalendar`)."""
    periods = tuple(
        Period(i, dt.time.fromisoformat(start), dt.time.fromisoformat(end), session)
        for i, (start, end, session) in enumerate(_PERIOD_TIMES, start=1)
    )
    blocks = tuple(Block(f"{a}-{b}", a, b) for a, b in _BLOCKS)
    term = Term(name, WEEK1_MONDAY, LAST_DATE, WEEK1_MONDAY)
    holidays = tuple(Holiday(d, n) for d, n in _HOLIDAYS)
    return Instance(term, periods, blocks, ROOM_TYPES, (), (), (), (), holidays=holidays,
                    adjusted_workdays=_ADJUSTED)


class _WeekPlanner:
    """Week ranges of weekly courses (cached: many courses share the same shape)."""

    def __init__(self, calendar: TermCalendar, last_week: int) -> None:
        self._calendar = calendar
        self.last_week = last_week
        self._cache: dict[tuple[int, int, int, Parity], WeekRange] = {}

    def weeks(self, contact: int, per_week: int, first: int, parity: Parity) -> WeekRange:
        key = (contact, per_week, first, parity)
        if key not in self._cache:
            self._cache[key] = _weeks_for(self._calendar, self.last_week, *key)
        return self._cache[key]


def _weeks_for(calendar: TermCalendar, last_week: int, contact: int, per_week: int,
               first: int, parity: Parity) -> WeekRange:
    """The shortest range from ``first`` (or earlier) whose every teaching weekday occurs
    often enough to deliver ``contact`` periods at ``per_week`` periods a week."""
    for start in range(first, 0, -1):
        for last in range(start, last_week + 1):
            weeks = WeekRange(start, last, parity)
            worst = min(len(calendar.occurrences(d, weeks)) for d in range(5))
            if worst * per_week >= contact:
                return weeks
    raise ValueError(f"{contact} contact periods do not fit in {last_week} weeks")


# --- parameters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """Knobs of :func:`generate_instance` (see there)."""

    visitors: int
    russian_share: float
    russian_taught_share: float
    cohort_size: int
    max_cohort_size: int
    language_group_size: int
    stream_cohorts: int
    room_load: float
    teacher_load: float
    visitor_daily_load: float
    interpreter_load: float
    bookings: bool

    def check(self) -> None:
        for name in ("russian_share", "russian_taught_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"Expected {name} in [0, 1], got {getattr(self, name)}")
        for name in ("room_load", "teacher_load", "interpreter_load"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"Expected {name} in (0, 1], got {getattr(self, name)}")
        if not 1 <= self.visitor_daily_load <= 6:
            raise ValueError(f"Expected visitor_daily_load in [1, 6], got "
                             f"{self.visitor_daily_load}")
        if not 2 <= self.cohort_size <= self.max_cohort_size:
            raise ValueError(f"Expected 2 <= cohort_size <= max_cohort_size, got "
                             f"{self.cohort_size} and {self.max_cohort_size}")
        if self.max_cohort_size > max(ROOM_SIZES["language_lab"]):
            raise ValueError(f"Expected max_cohort_size <= {max(ROOM_SIZES['language_lab'])} "
                             "(a cohort must fit a language lab)")
        if not 2 <= self.language_group_size <= min(ROOM_SIZES["media_studio"]):
            raise ValueError(f"Expected language_group_size in [2, "
                             f"{min(ROOM_SIZES['media_studio'])}], got "
                             f"{self.language_group_size}")
        if self.stream_cohorts < 1 or self.visitors < 0:
            raise ValueError("Expected stream_cohorts >= 1 and visitors >= 0")


# --- teachers: visitors and CQUPT staff ------------------------------------------------------


@dataclass(frozen=True)
class Visitor:
    """A visiting FEFU teacher and the offerings given to them."""

    teacher: Teacher
    teaching_language: str
    offerings: tuple[Offering, ...]

    @property
    def load(self) -> int:
        return sum(o.template.contact for o in self.offerings)


VISITOR_CAP = 96
"""Most intensive periods given to one visitor in the term (at most two trips)."""
_CHUNK = 64


def _chunks(offerings: Sequence[Offering]) -> list[list[Offering]]:
    """FEFU offerings grouped by subject, in pieces one visitor can teach."""
    subjects: dict[tuple[str, int, str], list[Offering]] = defaultdict(list)
    for o in offerings:
        subjects[(o.programme.code, o.year, o.template.code)].append(o)
    chunks: list[list[Offering]] = []
    for group in subjects.values():
        chunk: list[Offering] = []
        for o in group:
            if chunk and sum(x.template.contact for x in chunk) + o.template.contact > _CHUNK:
                chunks.append(chunk)
                chunk = []
            chunk.append(o)
        chunks.append(chunk)
    return chunks


def _field(o: Offering) -> str:
    return o.template.dept or o.programme.field


def _visitors_per_field(count: int, loads: Sequence[int], pieces: Sequence[int]) -> list[int]:
    """Visitors of each field, in proportion to its load but no more than its pieces."""
    per_field = [min(n, p) for n, p in
                 zip(_largest_remainder(count, loads), pieces, strict=True)]
    while sum(per_field) < min(count, sum(pieces)):
        room = [i for i, (n, p) in enumerate(zip(per_field, pieces, strict=True)) if n < p]
        best = min(room, key=lambda i: (-loads[i] / (per_field[i] + 1), i))
        per_field[best] += 1
    return per_field


def _assign_visitors(rng: random.Random, names: _Names, offerings: Sequence[Offering],
                     params: Params) -> tuple[list[Visitor], list[Offering]]:
    """Give FEFU offerings to visitors (by field, least loaded first); return the rest."""
    chunks = _chunks(offerings)
    while len(chunks) < params.visitors and any(len(c) > 1 for c in chunks):
        big = max((c for c in chunks if len(c) > 1), key=len)
        chunks.remove(big)
        half = len(big) // 2
        chunks += [big[:half], big[half:]]
    count = min(params.visitors, len(chunks))
    if count == 0:
        return [], list(offerings)
    loads: dict[str, int] = defaultdict(int)
    for chunk in chunks:
        loads[_field(chunk[0])] += sum(o.template.contact for o in chunk)
    fields = sorted(loads, key=lambda f: (-loads[f], f))
    pieces = Counter(_field(chunk[0]) for chunk in chunks)
    per_field = _visitors_per_field(count, [loads[f] for f in fields],
                                    [pieces[f] for f in fields])
    home = [f for f, n in zip(fields, per_field, strict=True) for _ in range(n)]
    given: list[list[Offering]] = [[] for _ in home]
    load = [0] * len(home)
    rest: list[Offering] = []
    chunks.sort(key=lambda c: -sum(o.template.contact for o in c))  # stable: LPT
    for chunk in chunks:
        size = sum(o.template.contact for o in chunk)
        field = _field(chunk[0])
        fits = [i for i in range(len(home)) if load[i] + size <= VISITOR_CAP]
        own = [i for i in fits if home[i] == field]
        pool = own or fits
        if not pool:
            rest += chunk
            continue
        best = min(pool, key=lambda i: (load[i], i))
        given[best] += chunk
        load[best] += size
    visitors = []
    for chunk_list in given:
        if not chunk_list:
            continue
        ident, name = names.russian("FEFU")
        roll = rng.random()
        languages = ("ru",) if roll < 0.15 else ("ru", "en")
        teaching = "ru" if languages == ("ru",) or rng.random() < params.russian_taught_share \
            else "en"
        cap_day, cap_week = (8, 24) if rng.random() < 0.8 else (6, 20)
        teacher = Teacher(ident, name, "FEFU", languages, True, cap_day, cap_week)
        visitors.append(Visitor(teacher, teaching, tuple(chunk_list)))
    return visitors, rest


def _as_weekly(o: Offering) -> Offering:
    """A FEFU offering no visitor could take, taught weekly by CQUPT instead."""
    t = o.template
    per_week = 1 if t.length == 4 or t.contact <= 32 else 2
    weekly = replace(t, per_week=per_week, language="en", dept="", first_week=1)
    return replace(o, template=weekly)


def _weekly_load(t: Template) -> int:
    return (t.per_week or 0) * t.length


@dataclass(frozen=True)
class StaffMember:
    teacher: Teacher
    offerings: tuple[Offering, ...]


def _staff_languages(offerings: Sequence[Offering], rng: random.Random) -> tuple[str, ...]:
    used = list(dict.fromkeys(o.template.language for o in offerings))
    languages = ["zh", *[lang for lang in used if lang != "zh"]]
    if "en" not in languages and rng.random() < 0.4:
        languages.append("en")
    return tuple(languages)


def _assign_cqupt(rng: random.Random, names: _Names, offerings: Sequence[Offering],
                  params: Params) -> list[StaffMember]:
    """Weekly offerings to CQUPT teachers by department, each loaded to about half their cap.

    Russian is partly taught by FEFU language teachers posted to Chongqing for the year
    (institution FEFU, not visiting).
    """
    by_dept: dict[str, list[Offering]] = defaultdict(list)
    for o in offerings:
        by_dept[_field(o)].append(o)
    staff: list[StaffMember] = []
    for dept in sorted(by_dept):
        todo = sorted(by_dept[dept], key=lambda o: (o.template.code, o.id))
        while todo:
            senior = rng.random() < 0.15
            cap_day, cap_week = (6, 20) if senior else (8, 24)
            target = max(4, math.floor(cap_week * params.teacher_load * rng.uniform(0.8, 1.0)))
            mine: list[Offering] = []
            while todo and sum(_weekly_load(o.template) for o in mine) + \
                    _weekly_load(todo[0].template) <= target:
                mine.append(todo.pop(0))
            if not mine:
                mine.append(todo.pop(0))
            if dept == "russian" and rng.random() < 0.4:
                ident, name = names.russian("FEFU")
                teacher = Teacher(ident, name, "FEFU", ("ru", "en"), False, cap_day, cap_week)
            else:
                ident, name = names.chinese("CQ")
                teacher = Teacher(ident, name, "CQUPT", _staff_languages(mine, rng), False,
                                  cap_day, cap_week)
            staff.append(StaffMember(teacher, tuple(mine)))
    return staff


# --- visitors' trips -------------------------------------------------------------------------


@dataclass(frozen=True)
class Trip:
    arrival: dt.date
    departure: dt.date
    days: tuple[int, ...]  # indices of the teaching days inside the trip


class _Load:
    """Expected intensive periods per teaching day: per cohort, needing interpreters, visitors."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.cohort: dict[str, list[float]] = defaultdict(lambda: [0.0] * days)
        self.interpreted = [0.0] * days
        self.visitors = [0.0] * days


def _trip_at(tdays: Sequence[TeachingDay], arrival: dt.date, need: int) -> Trip | None:
    after = [i for i, d in enumerate(tdays) if d.date > arrival][:need]
    if len(after) < need:
        return None
    departure = tdays[after[-1]].date + dt.timedelta(days=1)
    if departure > LATEST_DEPARTURE or (departure - arrival).days + 1 > MAX_TRIP_DAYS:
        return None
    return Trip(arrival, departure, tuple(after))


def _trip_candidates(tdays: Sequence[TeachingDay], need: int) -> list[Trip]:
    found = []
    day = EARLIEST_ARRIVAL
    while day < LATEST_DEPARTURE:
        trip = _trip_at(tdays, day, need)
        if trip is not None:
            found.append(trip)
        day += dt.timedelta(days=1)
    return found


def _trip_score(trip: Trip, pressure: Sequence[float], teaching: set[dt.date]) -> float:
    lost = (trip.arrival in teaching) + (trip.departure in teaching)
    return sum(pressure[i] for i in trip.days) + 2.0 * lost


def _visitor_pressure(load: _Load, visitor: Visitor) -> list[float]:
    """How crowded each teaching day already is for the cohorts this visitor teaches."""
    pressure = [0.3 * v for v in load.visitors]
    for root in sorted({r for o in visitor.offerings for r in o.roots}):
        for i, value in enumerate(load.cohort[root]):
            pressure[i] += value
    if any(_interpreted(o, visitor.teaching_language) for o in visitor.offerings):
        pressure = [p + 0.5 * x for p, x in zip(pressure, load.interpreted, strict=True)]
    return pressure


def _trip_days_needed(visitor: Visitor, params: Params) -> int:
    return math.ceil(visitor.load / params.visitor_daily_load)


def _place_trips(rng: random.Random, visitors: Sequence[Visitor], tdays: Sequence[TeachingDay],
                 params: Params) -> dict[str, tuple[Trip, ...]]:
    """Place one or two trips per visitor where their cohorts are least busy (greedy)."""
    load = _Load(len(tdays))
    teaching = {d.date for d in tdays}
    trips: dict[str, tuple[Trip, ...]] = {}
    order = sorted(range(len(visitors)), key=lambda i: (-visitors[i].load, i))
    for i in order:
        visitor = visitors[i]
        need = _trip_days_needed(visitor, params)
        count = 2 if need > 18 or (need >= 8 and rng.random() < 0.35) else 1
        parts = _split(need, count)
        pressure = _visitor_pressure(load, visitor)
        placed = _trips_for(rng, tdays, parts, pressure, teaching)
        if placed is None and count == 2:  # no room for two trips: one longer trip instead
            placed = _trips_for(rng, tdays, [need], pressure, teaching)
        if placed is None:
            raise ValueError(f"{visitor.load} intensive periods of {visitor.teacher.id} do not "
                             "fit in the visitors' season; lower the load per visitor")
        trips[visitor.teacher.id] = tuple(placed)
        _add_visitor_load(load, visitor, placed)
    return trips


def _trips_for(rng: random.Random, tdays: Sequence[TeachingDay], parts: Sequence[int],
               pressure: Sequence[float], teaching: set[dt.date]) -> list[Trip] | None:
    """Trips of the given teaching days each, apart from each other, on quiet days."""
    placed: list[Trip] = []
    gap = dt.timedelta(days=TRIP_GAP_DAYS)
    for part in parts:
        options = [t for t in _trip_candidates(tdays, part)
                   if all(t.arrival > p.departure + gap or t.departure < p.arrival - gap
                          for p in placed)]
        if not options:
            return None
        placed.append(min(options, key=lambda t: _trip_score(t, pressure, teaching)
                          + rng.uniform(0, 1.0)))
    return sorted(placed, key=lambda t: t.arrival)


def _interpreted(o: Offering, language: str) -> bool:
    """True when an offering taught in ``language`` needs an interpreter at every meeting."""
    if not o.template.interpreter:
        return False
    return any((c.students_cn and language not in ("zh", *c.languages))
               or (c.students_ru and language not in ("ru", *c.languages)) for c in o.cohorts)


def _add_visitor_load(load: _Load, visitor: Visitor, trips: Sequence[Trip]) -> None:
    days = [i for t in trips for i in t.days]
    for o in visitor.offerings:
        share = o.template.contact / len(days)
        for root in o.roots:
            for i in days:
                load.cohort[root][i] += share
        if _interpreted(o, visitor.teaching_language):
            for i in days:
                load.interpreted[i] += share
    for i in days:
        load.visitors[i] += 1


# --- courses ---------------------------------------------------------------------------------


def _weekly_course(o: Offering, teacher: str, planner: _WeekPlanner,
                   rng: random.Random) -> Course:
    t = o.template
    parity: Parity = "all"
    first = t.first_week
    if t.alternate:
        parity = rng.choice(("odd", "even"))
        first = 1 if parity == "odd" else 2
    assert t.per_week is not None
    weeks = planner.weeks(t.contact, t.per_week * t.length, first, parity)
    return Course(o.id, o.name, tuple(c.id for c in o.cohorts), (teacher,), t.contact, t.length,
                  "weekly", t.room_type, t.language, weeks, meetings_per_week=t.per_week,
                  needs_interpreter=t.interpreter)


def _intensive_course(o: Offering, visitor: Visitor, last_week: int,
                      rng: random.Random) -> Course:
    t = o.template
    language = visitor.teaching_language
    if t.length == 4 and "en" in visitor.teacher.languages:
        language = "en"  # practice sessions run in English
    per_day = 4 if t.length == 4 else rng.choice((4, 6))
    per_day = min(per_day, visitor.teacher.max_periods_per_day)
    return Course(o.id, o.name, tuple(c.id for c in o.cohorts), (visitor.teacher.id,),
                  t.contact, t.length, "intensive", t.room_type, language,
                  WeekRange(1, last_week), max_periods_per_day=per_day,
                  needs_interpreter=t.interpreter)


def _courses(offerings: Sequence[Offering], staff: Sequence[StaffMember],
             visitors: Sequence[Visitor], planner: _WeekPlanner,
             rng: random.Random) -> tuple[Course, ...]:
    """Every offering as a course of its teacher, in the order of the offerings."""
    by_id: dict[str, Course] = {}
    for member in staff:
        for o in member.offerings:
            by_id[o.id] = _weekly_course(o, member.teacher.id, planner, rng)
    for visitor in visitors:
        for o in visitor.offerings:
            by_id[o.id] = _intensive_course(o, visitor, planner.last_week, rng)
    return tuple(by_id[o.id] for o in offerings)


# --- rooms and bookings ----------------------------------------------------------------------


def _room_size(room_type: str, students: int) -> int:
    fitting = [s for s in ROOM_SIZES[room_type] if s >= students]
    return min(fitting) if fitting else 10 * math.ceil(students / 10)


def _daily_shares(courses: Sequence[Course], trips: dict[str, tuple[Trip, ...]]
                  ) -> dict[str, tuple[list[int], float]]:
    """Intensive courses: the teaching-day indices they may use and their periods per day."""
    shares: dict[str, tuple[list[int], float]] = {}
    for c in courses:
        if c.delivery == "intensive":
            days = [i for t in trips[c.teachers[0]] for i in t.days]
            shares[c.id] = (days, c.contact_periods / len(days))
    return shares


def _room_demand(instance: Instance, calendar: TermCalendar,
                 shares: dict[str, tuple[list[int], float]]) -> dict[tuple[str, int], float]:
    """Peak share of a week's daytime periods each (room type, size) is needed for."""
    weeks = sorted({d.calendar_week for d in calendar.days})
    days_in = {w: sum(d.calendar_week == w for d in calendar.days) for w in weeks}
    week_of_day = [d.calendar_week for d in calendar.days]
    need: dict[tuple[str, int], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for c in instance.courses:
        key = (c.room_type, _room_size(c.room_type, instance.course_size(c)))
        if c.delivery == "weekly":
            for w in c.weeks.weeks():
                need[key][w] += (c.meetings_per_week or 0) * c.meeting_length / (
                    5 * DAYTIME_PERIODS)
        else:
            days, per_day = shares[c.id]
            for i in days:
                w = week_of_day[i]
                need[key][w] += per_day / (days_in[w] * DAYTIME_PERIODS)
    return {key: max(per_week.values()) for key, per_week in need.items()}


def _make_rooms(demand: dict[tuple[str, int], float], params: Params,
                halls: int) -> tuple[Room, ...]:
    """Rooms of each type and size for ``room_load`` of the peak demand, plus large halls."""
    need = dict(demand)
    if halls:
        need[("lecture", max(ROOM_SIZES["lecture"]))] = 0.0
    rooms: list[Room] = []
    used: dict[str, int] = defaultdict(int)
    for room_type in ROOM_SIZES:
        for size in sorted({s for (t, s) in need if t == room_type}):
            count = max(1, math.ceil(need[(room_type, size)] / params.room_load))
            if (room_type, size) == ("lecture", max(ROOM_SIZES["lecture"])):
                count = max(count, halls)
            rooms.extend(_room(room_type, size, used) for _ in range(count))
    return tuple(rooms)


def _room(room_type: str, size: int, used: dict[str, int]) -> Room:
    for building in _BUILDINGS[room_type]:
        slot = used[building]
        if slot < _FLOORS * _ROOMS_PER_FLOOR:
            used[building] += 1
            break
    else:
        raise ValueError("room stock larger than the buildings can hold")
    floor, number = slot % _FLOORS + 1, slot // _FLOORS + 1
    room_id = f"{building}{floor}{number:02d}"
    if room_type == "lecture":
        label = {300: "Lecture hall", 200: "Lecture theatre"}.get(size, "Classroom")
    else:
        label = _ROOM_LABEL[room_type]
    return Room(room_id, _BUILDING_NAMES[building], size, room_type, f"{room_id} {label}")


def _bookings(rng: random.Random, rooms: Sequence[Room],
              tdays: Sequence[TeachingDay]) -> tuple[Booking, ...]:
    """Other CQUPT units' bookings: weekly half-days on some rooms, dated ones on others."""
    found: list[Booking] = []
    for room in rooms:
        if rng.random() < 0.3:
            first, last = rng.choice(((1, 4), (5, 8)))
            weeks = rng.choice((None, None, WeekRange(1, 18, "odd"), WeekRange(1, 18, "even"),
                                WeekRange(1, 9), WeekRange(10, 18)))
            found.append(Booking(room.id, TimeMask(weekday=rng.randrange(5), first_period=first,
                                                   last_period=last, weeks=weeks),
                                 rng.choice(_UNITS_WEEKLY)))
        if rng.random() < 0.3:
            day = rng.choice(tdays).date
            span = rng.choice(((1, 4), (5, 8), (None, None)))
            found.append(Booking(room.id, TimeMask(date=day, first_period=span[0],
                                                   last_period=span[1]),
                                 rng.choice(_UNITS_DATED)))
    return tuple(found)


# --- interpreters ----------------------------------------------------------------------------


def _interpreter_demand(courses: Sequence[Course], instance: Instance, calendar: TermCalendar,
                        shares: dict[str, tuple[list[int], float]]) -> float:
    """Peak interpreted periods in one calendar week (weekly courses plus intensive ones)."""
    week_of_day = [d.calendar_week for d in calendar.days]
    per_week: dict[int, float] = defaultdict(float)
    for c in courses:
        if not instance.interpreter_pairs(c):
            continue
        if c.delivery == "weekly":
            for w in c.weeks.weeks():
                per_week[w] += (c.meetings_per_week or 0) * c.meeting_length
        else:
            days, per_day = shares[c.id]
            for i in days:
                per_week[week_of_day[i]] += per_day
    return max(per_week.values(), default=0.0)


def _make_interpreters(rng: random.Random, names: _Names, demand: float,
                       params: Params) -> tuple[Interpreter, ...]:
    """Enough interpreters that the peak week uses about ``interpreter_load`` of their time."""
    found: list[Interpreter] = []
    capacity = 0.0
    while capacity < demand or len(found) < 2:
        russian = rng.random() < 0.3
        ident, name = names.russian("INT") if russian else names.chinese("INT")
        pairs = [frozenset(("ru", "zh"))]
        if rng.random() < 0.4:
            pairs.append(frozenset(("en", "ru") if russian else ("en", "zh")))
        roll = rng.random()
        weekdays = (0, 1, 2, 3) if roll < 0.2 else (0, 1, 2, 3, 4, 5, 6) if roll < 0.5 \
            else (0, 1, 2, 3, 4)
        per_day = rng.choice((6, 8))
        per_week = rng.choice((20, 24, 28))
        found.append(Interpreter(ident, name, tuple(pairs), weekdays, per_day, per_week))
        working = min(len([d for d in weekdays if d < 5]), 5)
        capacity += params.interpreter_load * min(per_week, per_day * working)
    return tuple(found)


# --- unavailability and preferences ----------------------------------------------------------


def _staff_unavailability(rng: random.Random, staff: Sequence[StaffMember],
                          tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    found: list[Unavailability] = []
    for member in staff:
        pid = member.teacher.id
        roll = rng.random()
        if roll < 0.2:
            first, last = rng.choice(((5, 8), (1, 4)))
            found.append(Unavailability(pid, TimeMask(weekday=rng.randrange(5),
                                                      first_period=first, last_period=last),
                                        rng.choice(("Department meeting", "Lab duty",
                                                    "Research group meeting"))))
        elif roll < 0.3:
            start = rng.randrange(len(tdays) - 2)
            for d in tdays[start:start + rng.randint(1, 2)]:
                found.append(Unavailability(pid, TimeMask(date=d.date),
                                            rng.choice(("Conference in Chengdu",
                                                        "Conference in Beijing",
                                                        "Thesis defence committee"))))
        elif roll < 0.35:
            found.append(Unavailability(pid, TimeMask(weekday=rng.randrange(5),
                                                      weeks=WeekRange(1, 9)),
                                        "Teacher training programme"))
    return found


def _visitor_unavailability(rng: random.Random, visitors: Sequence[Visitor],
                            trips: dict[str, tuple[Trip, ...]],
                            tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    found: list[Unavailability] = []
    for visitor in visitors:
        if rng.random() < 0.2:
            days = [i for t in trips[visitor.teacher.id] for i in t.days]
            day = tdays[rng.choice(days)].date
            first, last = rng.choice(((1, 4), (5, 8)))
            found.append(Unavailability(visitor.teacher.id,
                                        TimeMask(date=day, first_period=first, last_period=last),
                                        "Online thesis defence at FEFU"))
    return found


def _interpreter_unavailability(rng: random.Random, interpreters: Sequence[Interpreter],
                                tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    return [Unavailability(i.id, TimeMask(date=rng.choice(tdays).date),
                           "Interpreting at a delegation visit")
            for i in interpreters if rng.random() < 0.25]


def _preferences(rng: random.Random, teachers: Sequence[Teacher]) -> list[Preference]:
    found: list[Preference] = []
    for t in teachers:
        roll = rng.random()
        if t.visiting and roll < 0.4:
            found.append(Preference(t.id, "prefer", None, 1, 6))
        elif not t.visiting and roll < 0.12:
            found.append(Preference(t.id, "prefer", None, 1, 4))
        elif not t.visiting and roll < 0.24:
            found.append(Preference(t.id, "avoid", None, 9, 12))
        elif not t.visiting and roll < 0.3:
            found.append(Preference(t.id, "avoid", rng.randrange(5), 5, 8))
    return found


# --- the generator ---------------------------------------------------------------------------


def generate_instance(
    students: int,
    seed: int = 0,
    *,
    visitors: int | None = None,
    visiting_share: float = 0.015,
    russian_share: float = 0.4,
    russian_taught_share: float = 0.5,
    cohort_size: int = 33,
    max_cohort_size: int = 40,
    language_group_size: int = 24,
    stream_cohorts: int = 3,
    room_load: float = 0.4,
    teacher_load: float = 0.5,
    visitor_daily_load: float = 3.0,
    interpreter_load: float = 0.5,
    bookings: bool = True,
    name: str | None = None,
) -> Instance:
    """A valid, realistic, comfortably feasible fall-2026 instance for ``students`` students.

    The same arguments always give an equal instance. About 1,650 students is the institute at
    full size (every programme-year open); fewer open the programme-years in the order the
    institute grows (first years first), more scale every programme-year up, as for a whole
    CQUPT college sharing its rooms.

    Args:
        students: students in all cohorts (at least 1).
        seed: random seed; sizes, names, trips, bookings... all follow from it.
        visitors: FEFU visiting teachers; default ``round(visiting_share * students)``, at
            least one. Capped by the number of FEFU course pieces there are to teach.
        visiting_share: visitors per student when ``visitors`` is not given.
        russian_share: share of Russian students in a cohort (each cohort varies by ±7 points
            and has at least one Chinese and one Russian student, unless the share is 0 or 1).
        russian_taught_share: share of visitors who teach in Russian (with ru-zh interpreters)
            rather than English.
        cohort_size: typical students per cohort; ``max_cohort_size`` the largest.
        language_group_size: largest Chinese or Russian language sub-group (a cohort's
            Chinese or Russian students are split in two above it).
        stream_cohorts: most cohorts of one programme-year attending a lecture together.
        room_load: share of a room type's daytime periods (1-8, Mon-Fri) the institute uses in
            the busiest week; the stock is sized to it (bookings come on top, a few percent).
        teacher_load: CQUPT teachers' weekly load as a share of their weekly limit.
        visitor_daily_load: intensive periods per teaching day a visitor's trips are sized for.
        interpreter_load: share of interpreters' weekly time used in the busiest week.
        bookings: whether other CQUPT units book some of the rooms.
        name: the term's name; a default names the size and seed.
    """
    if students < 1:
        raise ValueError(f"Expected students >= 1, got {students}")
    if not 0 <= visiting_share <= 1:
        raise ValueError(f"Expected visiting_share in [0, 1], got {visiting_share}")
    params = Params(
        visitors=max(1, round(visiting_share * students)) if visitors is None else visitors,
        russian_share=russian_share, russian_taught_share=russian_taught_share,
        cohort_size=cohort_size, max_cohort_size=max_cohort_size,
        language_group_size=language_group_size, stream_cohorts=stream_cohorts,
        room_load=room_load, teacher_load=teacher_load, visitor_daily_load=visitor_daily_load,
        interpreter_load=interpreter_load, bookings=bookings,
    )
    params.check()
    rngs = _Streams(students, seed)
    title = name or (f"CQUPT–FEFU Joint Institute, fall 2026 (generated: {students} students, "
                     f"seed {seed})")
    base = _base_instance(title)
    calendar = TermCalendar(base)
    tdays = calendar.days
    last_week = base.term.week_of(base.term.last_date)

    rng_cohorts = rngs("cohorts")
    years = [_make_year(rng_cohorts, plan, params)
             for plan in _plan_years(students, min(25, students))]
    cohorts = tuple(c for y in years for p in y.cohorts for c in (p.cohort, *p.subgroups))
    offerings = _offerings(years)

    names = _Names(rngs("names"))
    fefu = [o for o in offerings if o.template.fefu]
    visitors_found, leftover = _assign_visitors(rngs("visitors"), names, fefu, params)
    weekly = [o for o in offerings if not o.template.fefu] + [_as_weekly(o) for o in leftover]
    staff = _assign_cqupt(rngs("staff"), names, weekly, params)
    trips = _place_trips(rngs("trips"), visitors_found, tdays, params)
    courses = _courses(offerings, staff, visitors_found, _WeekPlanner(calendar, last_week),
                       rngs("courses"))

    teachers = tuple([m.teacher for m in staff] + [v.teacher for v in visitors_found])
    draft = replace(base, teachers=teachers, cohorts=cohorts, courses=courses)
    shares = _daily_shares(courses, trips)
    rooms = _make_rooms(_room_demand(draft, calendar, shares), params,
                        halls=round(students / STEADY_STUDENTS))
    interpreters = _make_interpreters(
        rngs("interpreters"), names,
        _interpreter_demand(courses, draft, calendar, shares), params)
    windows = tuple(TravelWindow(v.teacher.id, t.arrival, t.departure)
                    for v in visitors_found for t in trips[v.teacher.id])
    rng_people = rngs("availability")
    unavailability = (_staff_unavailability(rng_people, staff, tdays)
                      + _visitor_unavailability(rng_people, visitors_found, trips, tdays)
                      + _interpreter_unavailability(rng_people, interpreters, tdays))
    return replace(
        draft,
        rooms=rooms,
        bookings=_bookings(rngs("bookings"), rooms, tdays) if params.bookings else (),
        travel_windows=windows,
        unavailability=tuple(unavailability),
        preferences=tuple(_preferences(rngs("preferences"), teachers)),
        interpreters=interpreters,
    )


def generate_steady() -> Instance:
    """The institute at full size, as shipped in ``instances/cqupt-fefu-steady``."""
    return generate_instance(STEADY_STUDENTS, STEADY_SEED,
                             name="CQUPT–FEFU Joint Institute at full size, fall 2026 "
                             f"(generated: {STEADY_STUDENTS} students, seed {STEADY_SEED})")


class _Streams:
    """Independent random streams per concern, so that changing one step leaves others alone."""

    def __init__(self, students: int, seed: int) -> None:
        self._key = f"cqupt-fefu:{students}:{seed}"

    def __call__(self, concern: str) -> random.Random:
        return random.Random(f"{self._key}:{concern}")
