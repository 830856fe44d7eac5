"""The scale benchmark's data: learners with profiles, plans, progress, history and mentorships,
generated in Python and streamed into PostgreSQL with COPY (psycopg 3's `cursor.copy()`).

Every learner's plan and progress are copies of one template plan that the app itself built
(`plan_rebuild` over a synthetic track), so the rows have the shape and the constraints the app
writes; statuses, dates and reminder schedules vary per learner. Rows go in by learner index, in
batches (`population_load(start=..., stop=...)`), so the same first learners can be measured on a
small database and again once the rest are loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from psycopg import sql

from accounts.models import Profile, User, zone_or_utc
from bench.plans import synthetic_track
from catalog.models import ITEM_FIELDS
from mentoring.models import Mentorship, ProjectReview, StepComment
from reminders.management.commands.bench_reminders import ZONES
from reminders.models import ReminderPreference
from roadmap.models import Plan, PlanItem, Progress, ProgressEvent
from roadmap.services import plan_rebuild

Status = Progress.Status
Frequency = ReminderPreference.Frequency
# The models whose ids the loader assigns itself (the others take them from their identity column).
NUMBERED: tuple[type[models.Model], ...] = (User, Profile, Plan, Progress)
LOADED: tuple[type[models.Model], ...] = (
    User,
    Profile,
    ReminderPreference,
    Profile.tracks.through,
    Plan,
    PlanItem,
    Progress,
    ProgressEvent,
    Mentorship,
    StepComment,
    ProjectReview,
)
BIG_MENTEES = 200  # learners 0..199 are the mentees of mentor 0, the dashboard's measurement
MEASURED = 1  # the learner whose plan page and status change are timed (a mentee of mentor 0)


@dataclass(frozen=True)
class Shape:
    """How many of everything: `steps` plan items (and progress rows) per learner."""

    learners: int
    steps: int
    mentors: int
    due: int

    @classmethod
    def of(cls, *, learners: int, progress: int, mentors: int | None = None) -> Shape:
        learners = max(learners, BIG_MENTEES + 1)
        mentors = mentors if mentors is not None else max(learners // 100, 4)
        # Weekly reminders spread over the 168 hours of a week: one hour's share is due at a sweep.
        return cls(
            learners=learners, steps=max(progress // learners, 5), mentors=mentors, due=learners // 168
        )


@dataclass(frozen=True)
class Template:
    """The plan every learner copies: its items' column values and its items' references."""

    track_id: int
    items: list[tuple[Any, ...]]  # PlanItem values in TEMPLATE_COLUMNS order, without id and plan
    refs: list[tuple[int | None, ...]]  # (skill, course, certification, project) ids, in position order
    now: dt.datetime
    first_ids: dict[str, int] = field(default_factory=dict)  # model label -> first id to assign


def item_columns() -> list[str]:
    return [str(f.column) for f in PlanItem._meta.concrete_fields if f.name not in ("id", "plan")]


def template_create(*, steps: int, now: dt.datetime | None = None) -> Template:
    """A synthetic track of `steps` steps and the plan the app builds from it for a template learner."""
    track = synthetic_track(steps, prefix="scale")
    learner = User.objects.create_user("scale-template@bench.invalid", "bench-password-1")
    profile = Profile.objects.create(user=learner, hours_per_week=8)
    profile.tracks.set([track])
    plan = plan_rebuild(learner=learner).plan
    fields = [f for f in PlanItem._meta.concrete_fields if f.name not in ("id", "plan")]
    items, refs = [], []
    for item in PlanItem.objects.filter(plan=plan).order_by("position"):
        items.append(tuple(_db_value(f, getattr(item, f.attname)) for f in fields))
        refs.append(tuple(getattr(item, f"{kind}_id") for kind in ITEM_FIELDS))
    first_ids = {
        model._meta.label: (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        for model in NUMBERED
    }
    return Template(
        track_id=track.pk,
        items=items,
        refs=refs,
        now=now or timezone.now(),
        first_ids=first_ids,
    )


def _db_value(f: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(f, models.JSONField):
        return json.dumps(value)
    return f.get_db_prep_save(value, connection)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Stream `rows` (values for `columns`) into the model's table with COPY; every other column but
    the id gets the field's default, so a field added later with a default needs nothing here."""
    named = set(columns)
    rest = [f for f in model._meta.concrete_fields if f.column not in named and not f.primary_key]
    tail = tuple(_db_value(f, f.get_default()) for f in rest)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join([sql.Identifier(str(c)) for c in [*columns, *(f.column for f in rest)]]),
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *tail))
            count += 1
    return count


@dataclass
class Load:
    """What one batch loaded: rows per table and seconds per table."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, other: Load) -> None:
        for table, n in other.rows.items():
            self.rows[table] = self.rows.get(table, 0) + n
            self.seconds[table] = self.seconds.get(table, 0.0) + other.seconds[table]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class Population:
    """Row generators for learners `start`..`stop` (and their mentors) of a `shape`, from a template."""

    def __init__(self, shape: Shape, template: Template) -> None:
        self.shape, self.t = shape, template
        self.user0 = template.first_ids[User._meta.label]
        self.profile0 = template.first_ids[Profile._meta.label]
        self.plan0 = template.first_ids[Plan._meta.label]
        self.progress0 = template.first_ids[Progress._meta.label]
        self.steps = min(shape.steps, len(template.items))
        self.slot = template.now.replace(minute=0, second=0, microsecond=0)
        self.password = make_password(None)

    # ids and figures of learner i (mentor m is user learners + m)
    def user_id(self, i: int) -> int:
        return self.user0 + i

    def mentor_id(self, m: int) -> int:
        return self.user0 + self.shape.learners + m

    def progress_id(self, i: int, k: int) -> int:
        return self.progress0 + i * self.steps + k

    def done(self, i: int) -> int:
        """How many of learner i's steps are done: 30% for the measured one, 0-90% for the rest."""
        share = 0.3 if i == MEASURED else (i * 37 % 100) / 110
        return int(self.steps * share)

    def mentors_of_batch(self, start: int, stop: int) -> range:
        """The mentors created with learners start..stop: a share proportional to the batch, mentor 0 first."""
        s, m = self.shape, self.shape.mentors
        first = 0 if start == 0 else max(2, m * start // s.learners)
        last = m if stop >= s.learners else max(2, m * stop // s.learners)
        return range(first, last)

    def users(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        now = self.t.now
        for i in range(start, stop):
            joined = now - dt.timedelta(days=60 + i % 300)
            yield (self.user_id(i), f"learner{i}@scale.invalid", f"Learner {i}", self.password, joined)
        for m in self.mentors_of_batch(start, stop):
            yield (self.mentor_id(m), f"mentor{m}@scale.invalid", f"Mentor {m}", self.password, now)

    def _profile_rows(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        """Each profile's columns with its reminder preferences in the middle (frequency to next slot)."""
        now, slot = self.t.now, self.slot
        for i in range(start, stop):
            zone = ZONES[i % len(ZONES)]
            frequency = Frequency.OFF if i % 10 == 9 else Frequency.DAILY if i % 10 == 8 else Frequency.WEEKLY
            if i < self.shape.due:
                following: dt.datetime | None = slot
                frequency = Frequency.WEEKLY
            elif frequency == Frequency.WEEKLY:
                # Everyone else over the coming week, hour by hour (daily ones over the coming day).
                following = slot + dt.timedelta(hours=1 + i % 167)
            elif frequency == Frequency.DAILY:
                following = slot + dt.timedelta(hours=1 + i % 23)
            else:
                following = None
            local = (following or slot).astimezone(zone_or_utc(zone))
            active = now - dt.timedelta(days=i % 40, hours=i % 24)
            yield (
                self.profile0 + i,
                self.user_id(i),
                zone,
                4 + i % 12,
                now - dt.timedelta(days=59),
                frequency,
                local.weekday(),
                local.hour,
                following,
                active,
            )
        for m in self.mentors_of_batch(start, stop):
            p = self.profile0 + self.shape.learners + m
            yield (p, self.mentor_id(m), "UTC", 6, None, Frequency.OFF, 0, 9, None, None)

    def profiles(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        return (row[:5] + row[9:] for row in self._profile_rows(start, stop))

    def preferences(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        return ((row[1], *row[5:9]) for row in self._profile_rows(start, stop))

    def tracks(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        return ((self.profile0 + i, self.t.track_id) for i in range(start, stop))

    def plans(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        built = self.t.now - dt.timedelta(days=59)
        for i in range(start, stop):
            yield (self.plan0 + i, self.user_id(i), built)

    def plan_items(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        items = self.t.items[: self.steps]
        for i in range(start, stop):
            plan = self.plan0 + i
            for values in items:
                yield (plan, *values)

    def progress(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        now, refs = self.t.now, self.t.refs[: self.steps]
        for i in range(start, stop):
            learner, done, joined = self.user_id(i), self.done(i), now - dt.timedelta(days=59)
            for k, ref in enumerate(refs):
                row: tuple[Any, ...]
                if k < done:
                    finished = now - dt.timedelta(days=(i + done - k) % 50, hours=k % 24)
                    row = (Status.DONE, finished - dt.timedelta(days=3), finished, finished)
                elif k == done:
                    started = now - dt.timedelta(days=i % 9)
                    row = (Status.IN_PROGRESS, started, None, started)
                else:
                    row = (Status.NOT_STARTED, None, None, joined)
                yield (self.progress_id(i, k), learner, *ref, *row)

    def events(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        """The history of each learner's last three steps done (started, then done)."""
        now = self.t.now
        for i in range(start, stop):
            done = self.done(i)
            for k in range(max(done - 3, 0), done):
                finished = now - dt.timedelta(days=(i + done - k) % 50, hours=k % 24)
                progress, learner = self.progress_id(i, k), self.user_id(i)
                yield (
                    progress,
                    Status.NOT_STARTED,
                    Status.IN_PROGRESS,
                    finished - dt.timedelta(days=3),
                    learner,
                )
                yield (progress, Status.IN_PROGRESS, Status.DONE, finished, learner)

    def mentor_of(self, i: int, mentors: range) -> int | None:
        """Mentor 0 for the first 200 learners, then three learners in ten spread over the batch's mentors."""
        if i < BIG_MENTEES:
            return 0
        first = max(mentors.start, 1)
        if i % 10 >= 3 or mentors.stop <= first:
            return None
        return first + i % (mentors.stop - first)

    def mentorships(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        mentors = self.mentors_of_batch(start, stop)
        for i in range(start, stop):
            m = self.mentor_of(i, mentors)
            if m is not None:
                since = self.t.now - dt.timedelta(days=30 + i % 30)
                yield (
                    self.user_id(i),
                    self.mentor_id(m),
                    f"scale-{i}",
                    Mentorship.Status.ACTIVE,
                    since,
                    since,
                )

    def comments(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        """A question and its answer on the step each mentee is working on; the mentor's is unread."""
        mentors = self.mentors_of_batch(start, stop)
        for i in range(start, stop):
            m = self.mentor_of(i, mentors)
            if m is not None:
                progress, at = self.progress_id(i, min(self.done(i), self.steps - 1)), self.t.now
                yield (progress, self.user_id(i), "How should I start this?", at - dt.timedelta(days=2))
                yield (progress, self.mentor_id(m), "With the first chapter.", at - dt.timedelta(days=1))

    def reviews(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        """A review waiting on each of mentor 0's mentees' first project done."""
        projects = [k for k, ref in enumerate(self.t.refs[: self.steps]) if ref[3] is not None]
        for i in range(start, min(stop, BIG_MENTEES)):
            done = [k for k in projects if k < self.done(i)]
            if done:
                yield (self.progress_id(i, done[0]), "https://example.com/repo", self.t.now)


def population_load(
    shape: Shape, template: Template, *, start: int, stop: int, trust_keys: bool = False
) -> Load:
    """COPY learners start..stop (and their batch's mentors) with everything they own.

    With `trust_keys` (a superuser's connection only) the foreign keys are not checked row by row:
    PostgreSQL fires no triggers for a session in the replica role. Unique and check constraints
    hold as ever; the same generators load the small batch with every check on.
    """
    population = Population(shape, template)
    load = Load()
    tables: list[tuple[type[models.Model], Sequence[str], Iterator[tuple[Any, ...]]]] = [
        (User, ("id", "email", "display_name", "password", "date_joined"), population.users(start, stop)),
        (
            Profile,
            (
                "id",
                "user_id",
                "time_zone",
                "hours_per_week",
                "onboarded_at",
                "last_activity_at",
            ),
            population.profiles(start, stop),
        ),
        (
            ReminderPreference,
            ("user_id", "frequency", "weekday", "hour", "next_reminder_at"),
            population.preferences(start, stop),
        ),
        (Profile.tracks.through, ("profile_id", "track_id"), population.tracks(start, stop)),
        (
            Plan,
            ("id", "learner_id", "built_at"),
            population.plans(start, stop),
        ),
        (PlanItem, ("plan_id", *item_columns()), population.plan_items(start, stop)),
        (
            Progress,
            (
                "id",
                "learner_id",
                *(f"{kind}_id" for kind in ITEM_FIELDS),
                "status",
                "started_at",
                "completed_at",
                "updated_at",
            ),
            population.progress(start, stop),
        ),
        (
            ProgressEvent,
            ("progress_id", "from_status", "to_status", "at", "by_id"),
            population.events(start, stop),
        ),
        (
            Mentorship,
            ("learner_id", "mentor_id", "key", "status", "created_at", "responded_at"),
            population.mentorships(start, stop),
        ),
        (StepComment, ("progress_id", "author_id", "body", "created_at"), population.comments(start, stop)),
        (ProjectReview, ("progress_id", "evidence_url", "requested_at"), population.reviews(start, stop)),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # a throwaway database: no need to wait for the disk
        cursor.execute("SET maintenance_work_mem = '256MB'")
        if trust_keys:
            cursor.execute("SET session_replication_role = replica")
    for model, columns, rows in tables:
        started = time.perf_counter()
        with transaction.atomic():
            count = copy_rows(model, columns, rows)
        load.rows[model._meta.db_table] = count
        load.seconds[model._meta.db_table] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(NUMBERED)):
            cursor.execute(statement)
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in LOADED)
        # VACUUM too: the visibility map and hint bits a live database has, and no autovacuum of
        # the fresh rows competing with the measurements.
        cursor.execute(f"VACUUM (ANALYZE) {names}")
        cursor.execute("RESET session_replication_role")
    load.rows["(sequences reset, VACUUM ANALYZE)"] = 0
    load.seconds["(sequences reset, VACUUM ANALYZE)"] = time.perf_counter() - started
    return load
