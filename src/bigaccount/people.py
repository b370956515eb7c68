"""The buying organisation: the customer's people, their org chart and our relationships.

Key-account deals are won through people. A :class:`Stakeholder` records one person of
the customer: their level (决策层 decision, 管理层 management, 操作层 operational), their
function (使用 user, 技术 technical, 财务 finance, …), their role in the purchase, their
attitude toward us, how far up the relationship ladder we are with them (认识 → 熟悉 →
认可 → 信任 → 交友 → 合作), their influence and whom they report to. A
:class:`BuyingCenter` holds an account's people with the reporting lines and the
"who influences whom" edges, and refuses unknown references and reporting cycles.

The personal profile of a person (family, hometown, pets, itinerary, …) is personal
data: it is kept in a :class:`PersonalProfile`, marked with the attrs metadata
``{"bigaccount.personal": True}``, never shown by ``repr`` and never read by a score.
:func:`redacted` returns a copy without it, and ``bigaccount.io.dumps(obj, redact=True)``
leaves it out of JSON.

>>> from bigaccount.people import BuyingCenter, Level, Function, BuyingRole, Rung, Stakeholder
>>> boss = Stakeholder("ceo", "王强", Level.DECISION, Function.OTHER, BuyingRole.DECISION_MAKER,
...                    rung=Rung.FAMILIAR, influence=5)
>>> cio = Stakeholder("cio", "李娜", "management", "technical", "influencer",
...                   rung="trusting", reports_to="ceo")
>>> center = BuyingCenter((boss, cio))
>>> cio.level.label.zh, cio.rung.label.en, cio.rung.depth
('管理层', 'trusting', 0.6666666666666666)
>>> [p.id for p in center.reports_of("ceo")]
['cio']
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from typing import Any, overload

import attrs
from attrs import field, frozen

from ._validate import day, member, non_negative, optional_text, text
from .errors import InvalidData
from .labels import Label, LabelledEnum, label_members
from .personal import PERSONAL

__all__ = [
    "PERSONAL",
    "Attitude",
    "BuyingCenter",
    "BuyingRole",
    "Function",
    "Influence",
    "Level",
    "PersonalProfile",
    "Rung",
    "Stakeholder",
    "personal_fields",
    "redacted",
]


_MARK = {PERSONAL: True}


# -- vocabulary ------------------------------------------------------------------------


class Level(LabelledEnum):
    """The level of a person in the customer's organisation (source 002)."""

    DECISION = "decision"
    MANAGEMENT = "management"
    OPERATIONAL = "operational"


label_members(
    Level,
    {
        Level.DECISION: Label("决策层", "decision level"),
        Level.MANAGEMENT: Label("管理层", "management level"),
        Level.OPERATIONAL: Label("操作层", "operational level"),
    },
)


class Function(LabelledEnum):
    """The department a person belongs to (source 002 names user, technical and finance)."""

    USER = "user"
    TECHNICAL = "technical"
    FINANCE = "finance"
    PROCUREMENT = "procurement"
    OTHER = "other"


label_members(
    Function,
    {
        Function.USER: Label("使用部门", "user"),
        Function.TECHNICAL: Label("技术部门", "technical"),
        Function.FINANCE: Label("财务部门", "finance"),
        Function.PROCUREMENT: Label("采购部门", "procurement"),
        Function.OTHER: Label("其他部门", "other"),
    },
)


class BuyingRole(LabelledEnum):
    """A person's role in the purchase (source 000: decision-maker, influencer, user)."""

    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    COACH = "coach"


label_members(
    BuyingRole,
    {
        BuyingRole.DECISION_MAKER: Label("决策者", "decision-maker"),
        BuyingRole.INFLUENCER: Label("影响者", "influencer"),
        BuyingRole.USER: Label("使用者", "user"),
        BuyingRole.GATEKEEPER: Label("把关者", "gatekeeper"),
        BuyingRole.COACH: Label("内线（教练）", "coach"),
    },
)


class Attitude(LabelledEnum):
    """A person's attitude toward us."""

    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    OPPONENT = "opponent"


label_members(
    Attitude,
    {
        Attitude.SUPPORTER: Label("支持", "supporter"),
        Attitude.NEUTRAL: Label("中立", "neutral"),
        Attitude.OPPONENT: Label("反对", "opponent"),
    },
)


class Rung(LabelledEnum):
    """Our rung on the relationship ladder with one person (source 004), or unknown.

    The ladder: 认识 acquainted → 熟悉 familiar → 认可 approving → 信任 trusting →
    交友 friends → 合作 partners. ``step`` counts the rungs (unknown is 0, partners 6);
    ``depth`` is ``step / 6``, the rung's depth in [0, 1] before any decay.
    """

    UNKNOWN = "unknown"
    ACQUAINTED = "acquainted"
    FAMILIAR = "familiar"
    APPROVING = "approving"
    TRUSTING = "trusting"
    FRIENDS = "friends"
    PARTNERS = "partners"

    @property
    def step(self) -> int:
        """The rung's position: 0 (unknown) to 6 (partners)."""
        return _RUNG_STEPS[self]

    @property
    def depth(self) -> float:
        """``step / 6``: 0 for unknown, 0.5 for approving, 1 for partners."""
        return _RUNG_STEPS[self] / _TOP_STEP

    @classmethod
    def ladder(cls) -> tuple[Rung, ...]:
        """The six rungs of the ladder, lowest first (without ``UNKNOWN``)."""
        return tuple(r for r in cls if r is not cls.UNKNOWN)


label_members(
    Rung,
    {
        Rung.UNKNOWN: Label("未知", "unknown"),
        Rung.ACQUAINTED: Label("认识", "acquainted"),
        Rung.FAMILIAR: Label("熟悉", "familiar"),
        Rung.APPROVING: Label("认可", "approving"),
        Rung.TRUSTING: Label("信任", "trusting"),
        Rung.FRIENDS: Label("交友", "friends"),
        Rung.PARTNERS: Label("合作", "partners"),
    },
)
_RUNG_STEPS = {rung: i for i, rung in enumerate(Rung)}
_TOP_STEP = len(_RUNG_STEPS) - 1


# -- validation helpers ----------------------------------------------------------------


def _level(value: object) -> Level:
    return member(Level, value, "level")


def _function(value: object) -> Function:
    return member(Function, value, "function")


def _role(value: object) -> BuyingRole:
    return member(BuyingRole, value, "role")


def _attitude(value: object) -> Attitude:
    return member(Attitude, value, "attitude")


def _rung(value: object) -> Rung:
    return member(Rung, value, "rung")


def _id(value: object) -> str:
    return text(value, "id")


def _name(value: object) -> str:
    return text(value, "name")


def _optional_id(value: object) -> str | None:
    return optional_text(value, "reports_to")


def _title(value: object) -> str | None:
    return optional_text(value, "title")


def _influence(value: object) -> float:
    return non_negative(value, "influence")


def _contact(value: object) -> dt.date | None:
    return day(value, "last_contact")


# Validators of personal data never echo the value: it must not reach a log.
def _private_text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidData("profile", f"expected text or None, got a {type(value).__name__}")
    if not value.strip():
        raise InvalidData("profile", "expected non-empty text or None, got blank text")
    return value


def _private_texts(value: object) -> tuple[str, ...]:
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise InvalidData("profile", f"expected a sequence of texts, got a {type(value).__name__}")
    items = tuple(value)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise InvalidData("profile", "expected a sequence of non-empty texts")
    return items


def _private(converter: Any, default: Any = None) -> Any:
    return field(default=default, converter=converter, repr=False, metadata=_MARK)


# -- the person ------------------------------------------------------------------------


@frozen(repr=False)
class PersonalProfile:
    """The personal profile of a key person (source 002's 客户个人资料). Personal data.

    Every field is optional and marked ``{"bigaccount.personal": True}``. No score reads
    it; ``repr`` hides it; :func:`redacted` and ``dumps(obj, redact=True)`` drop it.

    >>> PersonalProfile(hometown="苏州", pets=("cat",))
    PersonalProfile(<personal data hidden>)
    """

    family: str | None = _private(_private_text)
    hometown: str | None = _private(_private_text)
    university: str | None = _private(_private_text)
    sports: tuple[str, ...] = _private(_private_texts, ())
    food: tuple[str, ...] = _private(_private_texts, ())
    """Favourite restaurants and food."""
    pets: tuple[str, ...] = _private(_private_texts, ())
    books: tuple[str, ...] = _private(_private_texts, ())
    last_holiday: str | None = _private(_private_text)
    next_holiday: str | None = _private(_private_text)
    itinerary: tuple[str, ...] = _private(_private_texts, ())
    role_in_organisation: str | None = _private(_private_text)
    colleague_relations: str | None = _private(_private_text)
    goals_this_year: str | None = _private(_private_text)
    ambitions: str | None = _private(_private_text)

    def __repr__(self) -> str:
        return "PersonalProfile(<personal data hidden>)"


def _profile(value: object) -> PersonalProfile | None:
    if value is not None and not isinstance(value, PersonalProfile):
        raise InvalidData("profile", f"expected a PersonalProfile, got a {type(value).__name__}")
    return value


@frozen
class Stakeholder:
    """One person of the customer, and where we stand with them.

    Args:
        id: a stable identifier, unique within the account.
        name: the person's name.
        level: decision, management or operational (a :class:`Level` or its value).
        function: the person's department (a :class:`Function` or its value).
        role: the person's role in this purchase (a :class:`BuyingRole` or its value).
        attitude: toward us; neutral unless known.
        rung: our rung on the relationship ladder with them; unknown unless known.
        influence: the weight of their word, a number ≥ 0 (relative to the others).
        reports_to: the id of their boss on the same map, if mapped.
        title: their job title (non-empty text), if known.
        last_contact: the date we last had real contact (a date, or an aware datetime,
            kept as its date); relationships not refreshed decay.
        profile: the personal profile — personal data, hidden from ``repr``.

    Raises:
        InvalidData: an unknown level, function, role, attitude or rung, a negative
            or non-finite influence, an empty id, name or title, a naive datetime or
            a non-date as the last contact, or reporting to oneself.
    """

    id: str = field(converter=_id)
    name: str = field(converter=_name)
    level: Level = field(converter=_level)
    function: Function = field(converter=_function)
    role: BuyingRole = field(converter=_role)
    attitude: Attitude = field(default=Attitude.NEUTRAL, converter=_attitude)
    rung: Rung = field(default=Rung.UNKNOWN, converter=_rung)
    influence: float = field(default=1.0, converter=_influence)
    reports_to: str | None = field(default=None, converter=_optional_id)
    title: str | None = field(default=None, converter=_title)
    last_contact: dt.date | None = field(default=None, converter=_contact)
    profile: PersonalProfile | None = field(
        default=None, converter=_profile, repr=False, metadata=_MARK
    )

    def __attrs_post_init__(self) -> None:
        if self.reports_to == self.id:
            raise InvalidData("reports_to", f"{self.id!r} cannot report to themself")


def _source(value: object) -> str:
    return text(value, "source")


def _target(value: object) -> str:
    return text(value, "target")


@frozen
class Influence:
    """An edge of the influence graph: ``source`` influences ``target`` (both ids)."""

    source: str = field(converter=_source)
    target: str = field(converter=_target)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise InvalidData("influences", f"{self.source!r} cannot influence themself")


def _stakeholders(value: object) -> tuple[Stakeholder, ...]:
    if not isinstance(value, Iterable) or isinstance(value, (str, Stakeholder)):
        raise InvalidData("stakeholders", f"expected a sequence of Stakeholder, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Stakeholder):
            raise InvalidData(
                "stakeholders", f"expected a Stakeholder, got a {type(item).__name__}"
            )
    return items


def _influences(value: object) -> tuple[Influence, ...]:
    if not isinstance(value, Iterable) or isinstance(value, (str, Influence)):
        raise InvalidData("influences", f"expected a sequence of Influence, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Influence):
            raise InvalidData("influences", f"expected an Influence, got a {type(item).__name__}")
    return items


# -- the organisation ------------------------------------------------------------------


@frozen
class BuyingCenter:
    """An account's people, their reporting lines and who influences whom.

    The order of ``stakeholders`` carries no meaning: no score depends on it.

    Building a center, with its checks, takes time in proportion to the number of people
    and edges, whatever the shape of the org chart (a long chain of command as much as a
    flat team); looking a person up by id, and their reports, bosses and influencers, go
    through an index built on first use.

    Args:
        stakeholders: the people, each with a unique id.
        influences: "source influences target" edges between them.

    Raises:
        InvalidData: a repeated id, a ``reports_to`` or influence naming someone not
            on the map, a reporting cycle, or a repeated influence edge. Of several
            reporting cycles the one through the smallest id is named, starting there.

    >>> a = Stakeholder("a", "A", "decision", "finance", "decision_maker", reports_to="b")
    >>> b = Stakeholder("b", "B", "management", "finance", "influencer", reports_to="a")
    >>> BuyingCenter((a, b))
    Traceback (most recent call last):
    ...
    bigaccount.errors.InvalidData: reports_to: reporting cycle: a → b → a
    """

    stakeholders: tuple[Stakeholder, ...] = field(default=(), converter=_stakeholders)
    influences: tuple[Influence, ...] = field(default=(), converter=_influences)

    def __attrs_post_init__(self) -> None:
        boss: dict[str, str | None] = {}
        for person in self.stakeholders:
            if person.id in boss:
                raise InvalidData("stakeholders", f"the id {person.id!r} is used twice")
            boss[person.id] = person.reports_to
        for person in self.stakeholders:
            if person.reports_to is not None and person.reports_to not in boss:
                raise InvalidData(
                    f"stakeholders[{person.id!r}].reports_to",
                    f"{person.reports_to!r} is not on the map",
                )
        looped = _in_cycles(boss)
        if looped:
            start = min(looped)
            chain = [start]
            current = boss[start]
            while current != start:
                assert current is not None
                chain.append(current)
                current = boss[current]
            raise InvalidData("reports_to", f"reporting cycle: {' → '.join([*chain, start])}")
        seen: set[tuple[str, str]] = set()
        for edge in self.influences:
            for end in (edge.source, edge.target):
                if end not in boss:
                    raise InvalidData("influences", f"{end!r} is not on the map")
            key = (edge.source, edge.target)
            if key in seen:
                raise InvalidData(
                    "influences", f"{edge.source!r} → {edge.target!r} is listed twice"
                )
            seen.add(key)

    @functools.cached_property
    def _index(self) -> _Index:
        return _Index.of(self)

    def __len__(self) -> int:
        return len(self.stakeholders)

    def __iter__(self) -> Iterator[Stakeholder]:
        return iter(self.stakeholders)

    def __contains__(self, person_id: object) -> bool:
        return isinstance(person_id, str) and person_id in self._index.people

    def get(self, person_id: str) -> Stakeholder:
        """The person with id *person_id*.

        Raises:
            InvalidData: (field ``person_id``) nobody on the map has that id.
        """
        person = self._index.people.get(person_id) if isinstance(person_id, str) else None
        if person is None:
            raise InvalidData("person_id", f"{person_id!r} is not on the map")
        return person

    def reports_of(self, person_id: str) -> tuple[Stakeholder, ...]:
        """The people who report directly to *person_id*, by id."""
        self.get(person_id)
        return self._index.reports.get(person_id, ())

    def chain_of(self, person_id: str) -> tuple[Stakeholder, ...]:
        """*person_id*'s bosses, nearest first, up to the top of the map."""
        chain: list[Stakeholder] = []
        current = self.get(person_id).reports_to
        while current is not None:
            boss = self.get(current)
            chain.append(boss)
            current = boss.reports_to
        return tuple(chain)

    def influencers_of(self, person_id: str) -> tuple[Stakeholder, ...]:
        """The people who influence *person_id*, by id."""
        self.get(person_id)
        return self._index.influencers.get(person_id, ())

    def influenced_by(self, person_id: str) -> tuple[Stakeholder, ...]:
        """The people *person_id* influences, by id."""
        self.get(person_id)
        return self._index.influenced.get(person_id, ())

    def with_person(self, person: Stakeholder) -> BuyingCenter:
        """A copy with *person* added, or replacing the person of the same id."""
        if not isinstance(person, Stakeholder):
            raise InvalidData("person", f"expected a Stakeholder, got {person!r}")
        if person.id in self:
            people = tuple(person if p.id == person.id else p for p in self.stakeholders)
        else:
            people = (*self.stakeholders, person)
        return BuyingCenter(people, self.influences)

    def updated(self, person_id: str, **changes: Any) -> BuyingCenter:
        """A copy with *person_id*'s fields changed: ``updated("cio", rung="trusting")``.

        Raises:
            InvalidData: *person_id* is not on the map, a change names no field of a
                :class:`Stakeholder` (the field is the name given), or a new value is
                refused by the Stakeholder's checks.
        """
        person = self.get(person_id)
        unknown = sorted(set(changes) - _STAKEHOLDER_FIELDS)
        if unknown:
            known = ", ".join(sorted(_STAKEHOLDER_FIELDS))
            raise InvalidData(unknown[0], f"a Stakeholder has no such field; fields: {known}")
        return self.with_person(attrs.evolve(person, **changes))


_STAKEHOLDER_FIELDS = frozenset(a.name for a in attrs.fields(Stakeholder))


def _in_cycles(boss: dict[str, str | None]) -> set[str]:
    """The ids that lie on a reporting cycle, found in one pass over the chart.

    Each person has at most one boss, so walking up from anyone either reaches the top,
    or a person already settled, or comes back to a person of the same walk: then the
    people from that person on form a cycle. Everyone is walked over once.
    """
    settled: set[str] = set()
    looped: set[str] = set()
    for start in boss:
        if start in settled:
            continue
        walk: dict[str, None] = {}
        current: str | None = start
        while current is not None and current not in settled and current not in walk:
            walk[current] = None
            current = boss[current]
        if current is not None and current in walk:
            order = list(walk)
            looped.update(order[order.index(current) :])
        settled.update(walk)
    return looped


@frozen
class _Index:
    """Lookups of a buying center, built once: people by id, reports, influence both ways.

    Each tuple is sorted by id.
    """

    people: dict[str, Stakeholder]
    reports: dict[str, tuple[Stakeholder, ...]]
    influencers: dict[str, tuple[Stakeholder, ...]]
    influenced: dict[str, tuple[Stakeholder, ...]]

    @classmethod
    def of(cls, center: BuyingCenter) -> _Index:
        people = {p.id: p for p in center.stakeholders}
        reports: dict[str, list[Stakeholder]] = {}
        for p in center.stakeholders:
            if p.reports_to is not None:
                reports.setdefault(p.reports_to, []).append(p)
        influencers: dict[str, list[Stakeholder]] = {}
        influenced: dict[str, list[Stakeholder]] = {}
        for edge in center.influences:
            influencers.setdefault(edge.target, []).append(people[edge.source])
            influenced.setdefault(edge.source, []).append(people[edge.target])
        return cls(people, _sorted(reports), _sorted(influencers), _sorted(influenced))


def _sorted(groups: dict[str, list[Stakeholder]]) -> dict[str, tuple[Stakeholder, ...]]:
    return {key: tuple(sorted(group, key=_by_id)) for key, group in groups.items()}


def _by_id(person: Stakeholder) -> str:
    return person.id


# -- personal data ---------------------------------------------------------------------


def personal_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields of the attrs class *cls* marked as personal data.

    >>> personal_fields(Stakeholder)
    ('profile',)

    Raises:
        InvalidData: *cls* is not an attrs class.
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidData("cls", f"expected an attrs class, got {cls!r}")
    return tuple(a.name for a in attrs.fields(cls) if a.metadata.get(PERSONAL))


@overload
def redacted(value: Stakeholder) -> Stakeholder: ...
@overload
def redacted(value: BuyingCenter) -> BuyingCenter: ...
def redacted(value: Stakeholder | BuyingCenter) -> Stakeholder | BuyingCenter:
    """A copy of a person or a whole buying center without any personal data.

    What remains (levels, roles, rungs, attitudes, influence, reporting lines, contact
    dates) is what the scores read, so every score of the copy equals the original's.

    >>> p = Stakeholder("cfo", "周敏", "decision", "finance", "decision_maker",
    ...                 profile=PersonalProfile(hometown="杭州"))
    >>> redacted(p).profile is None
    True
    """
    if isinstance(value, Stakeholder):
        return attrs.evolve(value, profile=None)
    if isinstance(value, BuyingCenter):
        return BuyingCenter(tuple(redacted(p) for p in value.stakeholders), value.influences)
    raise InvalidData(
        "value", f"expected a Stakeholder or a BuyingCenter, got {type(value).__name__}"
    )
