"""The six programmes and the curriculum of each programme-year this fall (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from scheduler.instance import Level


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
PROGRAMME_BY_CODE = {p.code: p for p in PROGRAMMES}

# The order in which programme-years open when there are too few students for all of them:
# the inaugural IoT intake first, then first years, then later years.
OPENING_ORDER: tuple[tuple[str, int], ...] = tuple(
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
    ``core``: a core course of the programme (see :func:`curriculum`).
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
    core: bool = False

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

_PROGRAMMING = (
    _lecture("PROG101", "Programming Fundamentals 程序设计基础 / Основы программирования", 32,
             per_week=1),
    _lab("PROG101L", "Programming Lab 程序设计实验 / Практикум по программированию",
         "computer_lab"),
)
"""Programming, taught to the first years of IoT and of Computer Science."""
_PHYSICS = _lecture("PHYS201", "College Physics 大学物理 / Физика", 48, "zh", "physics")
"""Physics, taught to the second years of IoT and of Computer Science."""


def _capstone(room_type: str) -> Template:
    """The fourth years' capstone project, in lab halves in the programme's own labs."""
    return _lab("CAP401L", "Capstone Project Lab 毕业设计实践 / Проектный практикум", room_type,
                "halves")


def _research_practicum(room_type: str) -> Template:
    """The second-year graduates' research practicum, in lab halves in the programme's labs."""
    return _lab("RP601L", "Research Practicum 科研实践 / Научно-исследовательский практикум",
                room_type, "halves")


_SPECIFIC: dict[tuple[str, int], tuple[Template, ...]] = {
    ("IoT", 1): (
        *_PROGRAMMING,
        _fefu("IOT101", "Introduction to IoT 物联网导论 / Введение в интернет вещей", 32),
    ),
    ("CST", 1): (
        *_PROGRAMMING,
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
        _PHYSICS,
        _lab("CIRC201L", "Circuit Analysis Lab 电路实验 / Лаборатория электрических цепей",
             "iot_lab"),
        _fefu("DSA201", "Data Structures and Algorithms 数据结构与算法 / Структуры данных и "
              "алгоритмы"),
    ),
    ("CST", 2): (
        _lecture("DISC201", "Discrete Mathematics 离散数学 / Дискретная математика", dept="math"),
        _PHYSICS,
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
        _capstone("iot_lab"),
        _fefu("ML401", "Machine Learning 机器学习 / Машинное обучение", 32),
    ),
    ("CST", 4): (
        _lecture("COMP401", "Compiler Principles 编译原理 / Теория компиляторов", 32,
                 per_week=1),
        _lecture("SE401", "Software Engineering 软件工程 / Программная инженерия", 32, "zh",
                 per_week=1),
        _capstone("computer_lab"),
        _fefu("DIST401", "Distributed Systems 分布式系统 / Распределённые системы", 32),
    ),
    ("DMT", 4): (
        _lecture("VR401", "Virtual Reality 虚拟现实技术 / Виртуальная реальность", 32,
                 per_week=1),
        _lecture("PM401", "Digital Media Project Management 数字媒体项目管理 / Управление "
                 "медиапроектами", 32, "zh", per_week=1),
        _capstone("media_studio"),
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
        _research_practicum("iot_lab"),
        _fefu("DSP601", "Signal Processing for Communications 通信信号处理 / Обработка "
              "сигналов в системах связи", 32),
    ),
    ("MCS", 2): (
        _lecture("NET601", "Advanced Computer Networks 高级计算机网络 / Компьютерные сети", 32,
                 per_week=1),
        _research_practicum("computer_lab"),
        _fefu("BDA601", "Big Data Analytics 大数据分析 / Анализ больших данных", 32),
    ),
    ("CSE", 2): (
        _lecture("NLC601", "Nonlinear Control 非线性控制 / Нелинейное управление", 32,
                 per_week=1),
        _research_practicum("iot_lab"),
        _fefu("ROB601", "Robotics and Intelligent Control 机器人与智能控制 / Робототехника", 32),
    ),
    ("ICE", 3): (),
    ("MCS", 3): (),
    ("CSE", 3): (),
}


def _marked_core(t: Template) -> Template:
    """A programme's own course is one of its core courses (专业核心课), except mathematics
    and physics (foundation courses) and the capstone and research practicums in lab halves
    (practical training)."""
    return replace(t, core=t.dept not in ("math", "physics") and t.audience != "halves")


def curriculum(code: str, year: int) -> tuple[Template, ...]:
    """The courses of one programme-year this fall (common courses first). The common
    courses (mathematics, languages, political theory) are not core courses; the programme's
    own are (:func:`_marked_core`)."""
    level = PROGRAMME_BY_CODE[code].level
    return _COMMON[(level, year)] + tuple(_marked_core(t) for t in _SPECIFIC[(code, year)])
