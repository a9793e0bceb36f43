"""A questionnaire's structure as plain values, read from and written to a definition file.

The file is JSON:
    {"slug", "title", "description"?, "audiences": ["officer", "councillor"], "opens_on"?, "closes_on"?,
     "questions": [{"code", "text", "hint"?, "type", "required", "audiences"?,
                    "options": [{"code", "label"}], "show_if": {"question": CODE, "equals": OPTION_CODE},
                    "min"?, "max"?, "decimals"?}]}
A question's optional "audiences" asks it of only some of the questionnaire's audiences. A yes_no
question may leave out its options (they are yes and no). A number question's answers must lie
between "min" and "max" (by default 0 and 1,000,000) and be whole numbers unless "decimals" says
how many decimal places they may have (up to 6). Text is shown exactly as written (never as
HTML), and may not contain template code ({{, {% or {#). The report, the import and the answering
pages all work from these values, so they can be tested without a database."""

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from surveys.models import MAX_DECIMALS, Audience, QuestionType

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CODE_RULE = "lower-case letters, digits, hyphens and underscores, starting with a letter or digit"
# These would clash with the app's own addresses (/surveys/new/ and so on).
RESERVED_SLUGS = {"new", "compare", "invitations"}
CHOICE_TYPES = {QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
YES_NO_OPTIONS = (("yes", "Yes"), ("no", "No"))
# Django template syntax: refused, so no text from a definition can ever be run as template code.
TEMPLATE_CODE = ("{{", "{%", "{#")
# A number question's range when its definition gives none, and the widest a definition may give.
DEFAULT_MIN, DEFAULT_MAX = Decimal(0), Decimal(1_000_000)
LIMIT = Decimal(10) ** 12


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: str
    type: str
    required: bool = False
    options: tuple[OptionSpec, ...] = ()
    show_if: tuple[str, str] | None = None  # (question code, option code)
    audiences: tuple[str, ...] = ()  # empty: everyone the questionnaire is for
    hint: str = ""
    minimum: Decimal | None = None  # number questions: None is DEFAULT_MIN
    maximum: Decimal | None = None  # None is DEFAULT_MAX
    decimals: int = 0  # decimal places a number answer may have; 0: whole numbers only

    @property
    def number_range(self) -> tuple[Decimal, Decimal]:
        low = DEFAULT_MIN if self.minimum is None else self.minimum
        high = DEFAULT_MAX if self.maximum is None else self.maximum
        return low, high

    def option(self, code: str) -> OptionSpec | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def option_codes(self) -> list[str]:
        return [o.code for o in self.options]

    @property
    def type_label(self) -> str:
        return QuestionType(self.type).label

    def asked_of(self, audience: str) -> bool:
        return not self.audiences or audience in self.audiences


@dataclass(frozen=True)
class QuestionnaireSpec:
    slug: str
    title: str
    audiences: tuple[str, ...]
    questions: tuple[QuestionSpec, ...]
    description: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    _by_code: dict | None = field(default=None, init=False, compare=False, repr=False)

    def question(self, code: str) -> QuestionSpec | None:
        if self._by_code is None:
            object.__setattr__(self, "_by_code", {q.code: q for q in self.questions})
        return self._by_code.get(code)


class DefinitionError(ValueError):
    """The definition is not valid: .errors lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def parse_definition(text: str | bytes) -> QuestionnaireSpec:
    """Read a definition file's text, checking everything; raises DefinitionError listing each problem."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"The file is not valid JSON: {exc}."]) from None
    except RecursionError:  # Python's JSON reader gives up on lists or objects nested thousands deep
        raise DefinitionError(["The file is nested too deeply to be a questionnaire."]) from None
    return spec_from_dict(data)


def spec_from_dict(data) -> QuestionnaireSpec:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(
            ["The file must hold one JSON object with slug, title, audiences and questions."]
        )
    slug = _text(data, "slug", "The questionnaire", errors)
    if slug and not CODE.match(slug):
        errors.append(f"The slug “{slug}” must use only {CODE_RULE}.")
    elif slug in RESERVED_SLUGS:
        errors.append(f"The slug “{slug}” is reserved: choose another.")
    title = _text(data, "title", "The questionnaire", errors)
    no_template_code(title, "The questionnaire's title", errors)
    description = str(data.get("description") or "")
    no_template_code(description, "The questionnaire's description", errors)
    audiences = _audiences(data.get("audiences"), "The questionnaire", errors, required=True)
    opens_on = _date(data, "opens_on", errors)
    closes_on = _date(data, "closes_on", errors)
    if opens_on and closes_on and closes_on < opens_on:
        errors.append("closes_on must not be before opens_on.")
    raw_questions = data.get("questions")
    questions: list[QuestionSpec] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        errors.append("questions must be a list with at least one question.")
        raw_questions = []
    seen: dict[str, QuestionSpec] = {}
    for number, raw in enumerate(raw_questions, start=1):
        question = _question(raw, number, seen, audiences, errors)
        if question is not None:
            seen[question.code] = question
            questions.append(question)
    unknown = set(data) - {"slug", "title", "description", "audiences", "opens_on", "closes_on", "questions"}
    if unknown:
        errors.append(f"Unknown keys: {', '.join(sorted(unknown))}.")
    if errors:
        raise DefinitionError(errors)
    return QuestionnaireSpec(
        slug=slug,
        title=title,
        description=description,
        audiences=tuple(audiences),
        opens_on=opens_on,
        closes_on=closes_on,
        questions=tuple(questions),
    )


def _text(data: dict, key: str, where: str, errors: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where} needs a “{key}”.")
        return ""
    return value.strip()


def no_template_code(value: str, what: str, errors: list[str]) -> None:
    """Adds an error if the text holds Django template syntax ("what" names the text, for the message)."""
    found = [code for code in TEMPLATE_CODE if code in value]
    if found:
        errors.append(
            f"{what} must not contain {' or '.join(f'“{code}”' for code in found)}: "
            "text is shown as written and cannot hold template code."
        )


def _date(data: dict, key: str, errors: list[str]) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{key} must be a date written as YYYY-MM-DD, not “{value}”.")
        return None


def _audiences(value, where: str, errors: list[str], *, required: bool) -> list[str]:
    if value in (None, []) and not required:
        return []
    allowed = [a.value for a in Audience]
    if not isinstance(value, list) or not value or any(a not in allowed for a in value):
        errors.append(f"{where}: audiences must be a list of {' and/or '.join(allowed)}.")
        return []
    return [a for a in allowed if a in value]


def _question(raw, number: int, seen: dict, audiences: list[str], errors: list[str]) -> QuestionSpec | None:
    where = f"Question {number}"
    if not isinstance(raw, dict):
        errors.append(f"{where} must be an object.")
        return None
    code = _text(raw, "code", where, errors)
    if code:
        where = f"Question {number} ({code})"
        if not CODE.match(code) or ":" in code:
            errors.append(f"{where}: the code must use only {CODE_RULE}.")
        elif code in seen:
            errors.append(f"{where}: another question already has this code.")
    text = _text(raw, "text", where, errors)
    no_template_code(text, f"{where}: the text", errors)
    hint = str(raw.get("hint") or "")
    no_template_code(hint, f"{where}: the hint", errors)
    kind = raw.get("type")
    if kind not in QuestionType.values:
        errors.append(f"{where}: type must be one of {', '.join(QuestionType.values)}, not “{kind}”.")
        return None
    required = raw.get("required", False)
    if not isinstance(required, bool):
        errors.append(f"{where}: required must be true or false.")
    own_audiences = _audiences(raw.get("audiences"), where, errors, required=False)
    if set(own_audiences) - set(audiences):
        errors.append(f"{where}: its audiences must be among the questionnaire's.")
    options = _options(raw.get("options"), kind, where, errors)
    show_if = _show_if(raw.get("show_if"), where, seen, errors)
    minimum, maximum, decimals = _number_rules(raw, kind, where, errors)
    unknown = set(raw) - {
        "code",
        "text",
        "hint",
        "type",
        "required",
        "audiences",
        "options",
        "show_if",
        "min",
        "max",
        "decimals",
    }
    if unknown:
        errors.append(f"{where}: unknown keys {', '.join(sorted(unknown))}.")
    return QuestionSpec(
        code=code,
        text=text,
        hint=hint,
        type=kind,
        required=required is True,
        options=options,
        show_if=show_if,
        audiences=tuple(own_audiences),
        minimum=minimum,
        maximum=maximum,
        decimals=decimals,
    )


def _number_rules(raw: dict, kind: str, where: str, errors: list[str]) -> tuple:
    """(minimum, maximum, decimals) of a number question; other types may not have them."""
    given = {key for key in ("min", "max", "decimals") if raw.get(key) is not None}
    if kind != QuestionType.NUMBER:
        if given:
            errors.append(f"{where}: only a number question has {', '.join(sorted(given))}.")
        return None, None, 0
    bounds = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is None:
            bounds.append(None)
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors.append(f"{where}: {key} must be a number.")
            bounds.append(None)
        elif abs(Decimal(str(value))) > LIMIT:
            errors.append(f"{where}: {key} must be between -{LIMIT:,} and {LIMIT:,}.")
            bounds.append(None)
        else:
            bounds.append(Decimal(str(value)))
    minimum, maximum = bounds
    low = DEFAULT_MIN if minimum is None else minimum
    high = DEFAULT_MAX if maximum is None else maximum
    if (minimum is not None or maximum is not None) and low > high:
        errors.append(f"{where}: max must be the same as or more than min (min is {low}, max {high}).")
    decimals = raw.get("decimals", 0)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        errors.append(f"{where}: decimals must be a whole number of decimal places from 0 to {MAX_DECIMALS}.")
        decimals = 0
    return minimum, maximum, decimals


def _options(raw, kind: str, where: str, errors: list[str]) -> tuple[OptionSpec, ...]:
    if kind == QuestionType.YES_NO and raw in (None, []):
        return tuple(OptionSpec(code, label) for code, label in YES_NO_OPTIONS)
    if kind in (QuestionType.NUMBER, QuestionType.TEXT):
        if raw:
            errors.append(f"{where}: a {kind} question has no options.")
        return ()
    if not isinstance(raw, list) or len(raw) < 2:
        errors.append(f"{where}: a {kind} question needs at least two options.")
        return ()
    options, codes = [], set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.append(f"{where}, option {number}: must be an object with code and label.")
            continue
        code, label = str(item.get("code") or "").strip(), str(item.get("label") or "").strip()
        if not code or not CODE.match(code):
            errors.append(f"{where}, option {number}: the code must use only {CODE_RULE}.")
        elif code in codes:
            errors.append(f"{where}: the option code “{code}” is used twice.")
        if not label:
            errors.append(f"{where}, option {number}: needs a label.")
        no_template_code(label, f"{where}, option {number}: the label", errors)
        codes.add(code)
        options.append(OptionSpec(code, label))
    if kind == QuestionType.YES_NO and codes != {"yes", "no"}:
        errors.append(f"{where}: a yes_no question's options must have the codes yes and no.")
    return tuple(options)


def _show_if(raw, where: str, seen: dict, errors: list[str]) -> tuple[str, str] | None:
    if raw in (None, {}):
        return None
    if not isinstance(raw, dict) or set(raw) != {"question", "equals"}:
        errors.append(f'{where}: show_if must be {{"question": CODE, "equals": OPTION_CODE}}.')
        return None
    target = seen.get(raw["question"])
    if target is None:
        errors.append(f"{where}: show_if must name an earlier question, not “{raw['question']}”.")
        return None
    if target.type not in CHOICE_TYPES:
        errors.append(f"{where}: show_if can only depend on a yes_no or choice question.")
        return None
    if target.option(raw["equals"]) is None:
        errors.append(f"{where}: “{raw['equals']}” is not an option of {target.code}.")
        return None
    return (target.code, raw["equals"])


def spec_to_dict(spec: QuestionnaireSpec) -> dict:
    """The definition file for a questionnaire: loading it again gives the same structure."""
    data: dict = {"slug": spec.slug, "title": spec.title}
    if spec.description:
        data["description"] = spec.description
    data["audiences"] = list(spec.audiences)
    if spec.opens_on:
        data["opens_on"] = spec.opens_on.isoformat()
    if spec.closes_on:
        data["closes_on"] = spec.closes_on.isoformat()
    data["questions"] = []
    for q in spec.questions:
        item: dict = {"code": q.code, "text": q.text}
        if q.hint:
            item["hint"] = q.hint
        item.update(type=q.type, required=q.required)
        if q.audiences:
            item["audiences"] = list(q.audiences)
        if q.options:
            item["options"] = [{"code": o.code, "label": o.label} for o in q.options]
        if q.show_if:
            item["show_if"] = {"question": q.show_if[0], "equals": q.show_if[1]}
        for key, value in (("min", q.minimum), ("max", q.maximum)):
            if value is not None:
                item[key] = int(value) if value == value.to_integral_value() else float(value)
        if q.decimals:
            item["decimals"] = q.decimals
        data["questions"].append(item)
    return data
