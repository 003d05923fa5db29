"""The qualification service: the one entry point the chat actions call.

Every answer is normalized, stored on the lead and the lead re-scored in one
transaction; the conversation's end (or a request for a person) hands the
lead off or offers a next step. The service owns no Rasa types: it takes the
visitor id, plain answers and a plain transcript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.answers import detect_correction, is_unknown
from bot.errors import InvalidInput
from bot.handoff import service as handoffs
from bot.handoff.service import HandoffType
from bot.qualification import scorer
from bot.qualification.normalize import normalize, parses_as
from bot.qualification.outcomes import (
    Outcome,
    company_from_email,
    derived_signals,
    disqualified_outcome,
)
from bot.store import leads
from bot.store.models import Handoff, Lead, utcnow
from scoring import questions
from scoring.rules import ScoringRules

#: Values that become conversation signals instead of lead fields.
SIGNAL_FIELDS = ("job_seeker",)
#: The value a form slot gets when the visitor would rather not say.
SKIPPED = "__skipped__"
#: Who the visitor is: kept, if not known yet, from a message in which the
#: visitor introduces themselves on the way to something else ("I'm Priya
#: from Octave Health, let me talk to sales"); an email address from any.
INTRODUCTIONS = frozenset({"name", "company", "email"})
#: Who sales is to contact: a change to one after the handoff is sent to
#: sales at once ("lead.updated"); other answers only refresh the summary.
CONTACT_FIELDS = ("name", "email", "company", "job_title")
#: What a lead sales have asks for later is news for them too ("lead.updated").
NEWS_FOR_SALES = frozenset({"asked_demo", "asked_human", "asked_pricing"})


@dataclass(frozen=True)
class LeadStatus:
    """What a chat turn needs to know about the lead after an update."""

    lead_id: str
    stage: str
    total: int
    grade: str
    name: str | None
    email: str | None

    @property
    def qualified(self) -> bool:
        """Ready for sales: a DMQL (or already accepted by sales)."""
        return self.stage in ("dmql", "sql")


@dataclass(frozen=True)
class AnswerResult:
    """Normalized slot values to set, and answers that need asking again."""

    slots: dict[str, Any] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    status: LeadStatus | None = None
    suggested: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Conclusion:
    """How a conversation ends for the lead."""

    outcome: Outcome
    status: LeadStatus
    handoff_created: bool = False


def _status(lead: Lead) -> LeadStatus:
    return LeadStatus(
        lead_id=lead.id,
        stage=lead.stage,
        total=lead.score_total,
        grade=lead.grade,
        name=lead.name,
        email=lead.email,
    )


class QualificationService:
    """Answers in; stored, scored lead and handoffs out."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        rules: ScoringRules,
        channels: Sequence[str],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._rules = rules
        self._channels = tuple(channels)
        self._clock = clock

    def known(self, visitor_id: str) -> dict[str, Any]:
        """The form answers already on file for this visitor's lead."""
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            known = {
                slot: getattr(lead, slot, None)
                for slot in self._rules.questions.all_questions
            }
            return {slot: value for slot, value in known.items() if value is not None}

    def status(self, visitor_id: str) -> tuple[LeadStatus, bool]:
        """Where this visitor's lead stands now, and whether sales has it."""
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            return _status(lead), handoffs.latest_of(session, lead) is not None

    def answer(
        self,
        visitor_id: str,
        answers: Mapping[str, Any],
        signals: frozenset[str] = frozenset(),
        requested: str | None = None,
        introduced: bool = False,
        besides: frozenset[str] = frozenset(),
    ) -> AnswerResult:
        """Normalize, store and score the answers of one chat turn.

        An answer that cannot be understood is left out (its slot is reset so
        the form asks again) and the others are still kept. Besides the
        answer to the `requested` question, a message may volunteer other
        fields ("I'm Dana, VP Marketing at Acme"), but only in an opening
        message and only for fields not known yet: a number in a budget
        answer never overwrites the head-count. An email address may come in
        any message, and so may a name and a company when the visitor
        `introduced` themselves on the way to something else ("I'm Priya
        from Octave Health, let me talk to sales"), if not known yet: not
        from a use case that names tools ("we use HubSpot"). The caller
        vouches for other answers `besides` the requested one when the
        requested answer still reads without them ("CMO, about 200 people"
        to the role: the head-count). Changing a known answer takes an
        explicit correction.
        """
        now = self._clock()
        slots: dict[str, Any] = {}
        rejected: dict[str, str] = {}
        fields: dict[str, Any] = {}
        found_signals = set(signals)
        with self._sessions.begin() as session:
            stored = leads.lead_for_visitor(session, visitor_id)
            kept = self._volunteered(stored, answers, requested, introduced, besides)
        slots |= {slot: getattr(stored, slot) for slot in answers if slot not in kept}
        for slot, value in kept.items():
            if value == SKIPPED:
                continue
            if isinstance(value, str) and is_unknown(value):
                slots[slot] = SKIPPED
                continue
            try:
                normalized = normalize(
                    slot, value, now.date(), currency=self._rules.currency
                )
            except InvalidInput as exc:
                rejected[slot] = str(exc)
                continue
            for name in SIGNAL_FIELDS:
                if normalized.pop(name, False):
                    found_signals.add(name)
            fields.update(normalized)
            slots.update(normalized)
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            # Before the email may merge this lead into an older one.
            handed_off = (
                handoffs.latest_of(session, lead) if lead.outcome == "handoff" else None
            )
            suggested = company_from_email(lead, fields)
            fields |= suggested
            slots |= suggested
            changed = [
                name
                for name, value in fields.items()
                if value is not None and getattr(lead, name) != value
            ]
            lead = leads.update_fields(session, lead, fields)
            news = sorted((found_signals & NEWS_FOR_SALES) - set(lead.signals))
            leads.add_signals(lead, found_signals | derived_signals(lead))
            scorer.rescore(session, self._rules, lead, now)
            if (changed or news) and handed_off is not None:
                contact = [name for name in CONTACT_FIELDS if name in changed]
                self._tell_sales(session, handed_off, lead, contact + news, now)
            return AnswerResult(
                slots=slots,
                rejected=rejected,
                status=_status(lead),
                suggested=suggested,
            )

    def reads_as_answer(self, slot: str, text: str) -> bool:
        """Whether a message parses as an answer to the parsed question `slot`."""
        return parses_as(slot, text, self._clock().date())

    def _volunteered(
        self,
        lead: Lead,
        answers: Mapping[str, Any],
        requested: str | None,
        introduced: bool,
        besides: frozenset[str],
    ) -> dict[str, Any]:
        opening = requested is None or requested in self._rules.questions.first
        anytime = INTRODUCTIONS if introduced else frozenset({"email"})
        anytime |= besides
        return {
            slot: value
            for slot, value in answers.items()
            if slot == requested
            or ((opening or slot in anytime) and getattr(lead, slot, None) is None)
        }

    def correct(self, visitor_id: str, text: str) -> AnswerResult | None:
        """A correction of an earlier answer; ``None`` if none is recognized."""
        correction = detect_correction(text, self._clock().date())
        if correction is None:
            return None
        return self.answer(
            visitor_id,
            {correction.slot: correction.value},
            requested=correction.slot,
        )

    def plan(self, visitor_id: str, slots: Mapping[str, Any]) -> list[str]:
        """The questions still worth asking this visitor, best first.

        A question counts as answered when its slot is filled (or skipped) in
        the conversation, or its field is already known to the lead store.
        """
        now = self._clock()
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            card = scorer.rescore(session, self._rules, lead, now)
            answered = {
                question
                for question in self._rules.questions.all_questions
                if slots.get(question) is not None
                or getattr(lead, question, None) is not None
            }
        return questions.plan(self._rules, card, answered)

    def _tell_sales(
        self,
        session: Session,
        handoff: Handoff,
        lead: Lead,
        changed: Sequence[str],
        now: datetime,
    ) -> None:
        """Refresh the handoff of a lead sales has; notify what `changed`."""
        handoffs.update(
            session,
            handoff=handoff,
            lead=lead,
            changed=changed,
            channels=self._channels if changed else (),
            now=now,
        )

    def record_outcome(self, visitor_id: str, outcome: Outcome) -> None:
        """Note how the conversation ended for a lead that sales won't get."""
        with self._sessions.begin() as session:
            leads.lead_for_visitor(session, visitor_id).outcome = outcome

    def conclude(
        self,
        visitor_id: str,
        conversation_id: str,
        transcript: Sequence[dict[str, Any]],
        signals: frozenset[str] = frozenset(),
    ) -> Conclusion:
        """End of the questions: hand a qualified lead off, else a next step."""
        now = self._clock()
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            new_signals = sorted(set(signals) - set(lead.signals or []))
            leads.add_signals(lead, set(signals))
            scorer.rescore(session, self._rules, lead, now)
            status = _status(lead)
            exit_outcome = disqualified_outcome(lead)
            if exit_outcome is not None:
                lead.outcome = exit_outcome
                return Conclusion(exit_outcome, status)
            if not status.qualified:
                lead.outcome = "nurture"
                return Conclusion("nurture", status)
            if lead.consent is False:
                lead.outcome = "no_consent"
                return Conclusion("no_consent", status)
            latest = handoffs.latest_of(session, lead)
            if lead.outcome == "handoff" and latest and latest.type == "lead.qualified":
                # A returning DMQL: their questions are all answered, so the
                # form ends at once. Sales hear what is new ("asked_demo");
                # a second handoff would repeat the first.
                self._tell_sales(session, latest, lead, new_signals, now)
                return Conclusion("handoff", status)
            return self._hand_off(
                session, lead, visitor_id, conversation_id, "lead.qualified",
                transcript, now,
            )  # fmt: skip

    def request_human(
        self,
        visitor_id: str,
        conversation_id: str,
        transcript: Sequence[dict[str, Any]],
        signals: frozenset[str] = frozenset(),
    ) -> Conclusion:
        """The visitor asked for a person: hand off at once, qualified or not.

        Not a student, a job seeker or a competitor: they get their own next
        step, as at the end of the questions. A lead sales have already hears
        of the request ("lead.updated") when this chat was handed off before.
        """
        now = self._clock()
        with self._sessions.begin() as session:
            lead = leads.lead_for_visitor(session, visitor_id)
            asked = {"asked_human", *signals}
            news = sorted((asked & NEWS_FOR_SALES) - set(lead.signals))
            leads.add_signals(lead, asked)
            scorer.rescore(session, self._rules, lead, now)
            exit_outcome = disqualified_outcome(lead)
            if exit_outcome is not None:
                lead.outcome = exit_outcome
                return Conclusion(exit_outcome, _status(lead))
            conclusion = self._hand_off(
                session, lead, visitor_id, conversation_id, "lead.human_requested",
                transcript, now,
            )  # fmt: skip
            latest = handoffs.latest_of(session, lead)
            if not conclusion.handoff_created and news and latest is not None:
                self._tell_sales(session, latest, lead, news, now)
            return conclusion

    def _hand_off(
        self,
        session: Session,
        lead: Lead,
        visitor_id: str,
        conversation_id: str,
        handoff_type: HandoffType,
        transcript: Sequence[dict[str, Any]],
        now: datetime,
    ) -> Conclusion:
        result = handoffs.hand_off(
            session,
            lead=lead,
            visitor_id=visitor_id,
            conversation_id=conversation_id,
            handoff_type=handoff_type,
            transcript=transcript,
            channels=self._channels,
            now=now,
        )
        lead.outcome = "handoff"
        return Conclusion("handoff", _status(lead), handoff_created=result.created)
