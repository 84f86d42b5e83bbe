"""The persona template: which sections a persona shows, in which order, and what fills each one.

A template is a TOML file (`synth template init` writes the default, `--template FILE` reads one).
Every persona of a run is laid out with the same template; a section with nothing behind it says
so ("no evidence in this segment") instead of being padded.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from synth.records import Claim, Persona

FACTS = ("roles", "kinds", "sources", "ratings", "tone", "attributes")
DEFAULT_FILE = "persona-template.toml"


class TemplateError(ValueError):
    """A template that cannot be read or makes no sense; the message names the file and the fix (exit 2)."""

    exit_code = 2


class TemplateSection(BaseModel):
    key: str
    title: str
    help: str = ""
    claims: list[str] = Field(default_factory=list)  # claim sections that fill it, first listing wins
    facts: list[str] = Field(default_factory=list)  # figures from the study (see FACTS)
    card: bool = True  # shown on the one-page card
    limit: int = Field(3, ge=1, le=20)  # items on the card

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in FACTS]
        if unknown:
            raise ValueError(f"unknown fact {unknown[0]!r}; use any of {', '.join(FACTS)}")
        return value


class PersonaTemplate(BaseModel):
    empty: str = "no evidence in this segment"
    sections: list[TemplateSection] = Field(min_length=1)
    source: str = "default"  # the file it came from

    @field_validator("sections")
    @classmethod
    def _unique_keys(cls, value: list[TemplateSection]) -> list[TemplateSection]:
        keys = [s.key for s in value]
        dup = next((k for k in keys if keys.count(k) > 1), None)
        if dup:
            raise ValueError(f"section key {dup!r} is used twice; give each section its own key")
        return value

    def home(self, claim_section: str) -> str | None:
        """The key of the template section a claim of `claim_section` goes to (None: none lists it)."""
        return next((s.key for s in self.sections if claim_section in s.claims), None)


class FilledSection(BaseModel):
    """One template section filled for one persona: its claims and facts, or the empty line."""

    key: str
    title: str
    help: str = ""
    card: bool = True
    limit: int = 3
    claims: list[Claim] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.claims and not self.facts


def default_text() -> str:
    return resources.files("synth.cards").joinpath("default_template.toml").read_text(encoding="utf-8")


def parse_template(text: str, source: str) -> PersonaTemplate:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{source} is not valid TOML ({exc}); fix it or write a fresh one with "
                            "`synth template init`") from None
    try:
        return PersonaTemplate.model_validate({**data, "source": source})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise TemplateError(f"{source}: {where}: {first['msg']}; see `synth template init` for a working "
                            "template") from None


def load_template(path: Path | None = None) -> PersonaTemplate:
    """The template in `path`, or the default one."""
    if path is None:
        return parse_template(default_text(), "default")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"template {path} does not exist; write one with `synth template init {path}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read template {path}: {exc}") from None
    return parse_template(text, str(path))


def write_default(path: Path, force: bool = False) -> Path:
    """Write the default template to `path` for editing; never overwrites unless `force`."""
    if path.exists() and not force:
        raise TemplateError(f"{path} exists already; edit it, or pass --force to overwrite it")
    path.write_text(default_text(), encoding="utf-8")
    return path


def fill(persona: Persona, template: PersonaTemplate, facts: dict[str, list[str]] | None = None) -> list[FilledSection]:
    """The persona's claims (narrative aside) and the study's facts laid out in the template's sections.

    Claims whose section no template section lists are returned in a last "Other claims" section, so a
    template never hides evidence; facts: fact name -> lines (see synth.cards.data.study_facts).
    """
    facts = facts or {}
    filled = [FilledSection(key=s.key, title=s.title, help=s.help, card=s.card, limit=s.limit,
                            facts=[line for f in s.facts for line in facts.get(f, [])]) for s in template.sections]
    by_key = {f.key: f for f in filled}
    other = FilledSection(key="other", title="Other claims", card=False)
    for claim in persona.claims:
        if claim.section == "narrative":
            continue
        home = template.home(claim.section)
        (by_key[home] if home else other).claims.append(claim)
    return filled + ([other] if other.claims else [])
