"""Import a curated list from a document: the one write-side entry point, `import_list`."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import Q, TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Credit, CreditRole, Film, Person, Source, Verification
from core.history import history_reason
from core.models import unique_slug
from core.spelling import canonical_title, has_cyrillic, romanize
from lists.history import snapshot_latest_version
from lists.importing import errors
from lists.importing.errors import ListImportError
from lists.importing.matching import FilmMatcher, Match, MatchOutcome
from lists.importing.parsers import decode_document, parse_document
from lists.models import CuratedList, CuratedListEntry
from lists.services import record_list_version

MAX_TITLE_LENGTH = 300


class ImportStatus(TextChoices):
    """What became of the list; the value ends the sentence "List “…” (draft) …"."""

    CREATED = "created", _("created")
    WOULD_CREATE = "would be created", _("would be created")
    REPLACED = "replaced", _("replaced")
    WOULD_REPLACE = "would be replaced", _("would be replaced")
    ALREADY_IMPORTED = "already imported", _("already imported")


# An editor's override of one entry's match: a film's pk, or one of these.
NEW_FILM = "new"
SKIP = "skip"
CHOSEN_BY_EDITOR = _("chosen by the editor")
NEW_BY_EDITOR = _("a new film, as the editor chose")


class ProposalState(TextChoices):
    """What becomes of a director the prose names; the label is shown in the preview."""

    CREDIT = "credit", _("will be credited as director (unverified)")
    CREDITED = "credited", _("credited as director (unverified)")
    ALREADY = "already", _("already credited as director")
    UNKNOWN = "unknown", _("not in the catalogue: add the person to credit them")
    SEVERAL = "several", _("several people have this name: credit one by hand")


@dataclass
class DirectorProposal:
    """A director named in the prose, looked up among the catalogue's people."""

    key: str  # "position:index", what the preview's tick box sends back
    name: str
    line: int
    person: Person | None = None
    state: ProposalState = ProposalState.UNKNOWN

    @property
    def applicable(self):
        return self.state == ProposalState.CREDIT

    @property
    def state_label(self):
        return self.state.label


KIND_LABELS = {
    Source.Kind.LISTICLE: _("web listicle"),
    Source.Kind.CURATED_LIST: _("structured list"),
    Source.Kind.LETTERBOXD: _("Letterboxd CSV"),
}


@dataclass
class EntryReport:
    """What the importer did, or would do, with one entry of the document."""

    entry: object
    match: Match
    film: Film | None = None
    film_created: bool = False
    credits_created: list = field(default_factory=list)
    director_proposals: list = field(default_factory=list)
    overridden: bool = False

    position = property(lambda self: self.entry.position)
    line = property(lambda self: self.entry.line)
    title = property(lambda self: self.entry.title)
    romanized_title = property(lambda self: self.entry.romanized_title)
    year = property(lambda self: self.entry.year)
    blurb = property(lambda self: self.entry.blurb)
    fact = property(lambda self: self.entry.fact)
    credit_proposals = property(lambda self: self.entry.credit_proposals)
    outcome = property(lambda self: self.match.outcome)
    confidence = property(lambda self: self.match.confidence)
    reason = property(lambda self: self.match.reason)

    @property
    def matched_film(self):
        return self.match.film

    def as_text(self):
        romanized = f" [{self.romanized_title}]" if self.romanized_title else ""
        head = f"{self.position:>3}. line {self.line}: {self.title}{romanized} ({self.year})"
        if self.outcome == MatchOutcome.MATCHED:
            confidence = f"confidence {self.confidence:.2f}: " if self.confidence else ""
            result = (
                f"existing film {self.match.film} [{self.match.film.slug}], "
                f"{confidence}{self.reason}"
            )
        elif self.outcome == MatchOutcome.AMBIGUOUS:
            result = f"AMBIGUOUS, nothing chosen: {self.reason}"
        else:
            slug = f" [{self.film.slug}]" if self.film_created else ""
            result = f"new film{slug}, marked unverified ({self.reason})"
        return f"{head}\n       -> {result}"


@dataclass
class ImportReport:
    """The entry-by-entry report of an import and the list that was or would be created."""

    status: ImportStatus
    dry_run: bool
    kind: str
    filename: str
    sha256: str
    list_title: str
    introduction: str = ""
    line_count: int = 0
    entries: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    curated_list: CuratedList | None = None
    source: Source | None = None
    create_credits: bool = False
    left_out: list = field(default_factory=list)  # entries the editor chose to skip

    @property
    def status_label(self):
        return ImportStatus(self.status).label

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def matched(self):
        return [entry for entry in self.entries if entry.outcome == MatchOutcome.MATCHED]

    @property
    def new(self):
        return [entry for entry in self.entries if entry.outcome == MatchOutcome.NEW]

    @property
    def ambiguous(self):
        return [entry for entry in self.entries if entry.outcome == MatchOutcome.AMBIGUOUS]

    @property
    def credit_proposals(self):
        return [(entry, proposal) for entry in self.entries for proposal in entry.credit_proposals]

    @property
    def director_proposals(self):
        return [
            (entry, proposal) for entry in self.entries for proposal in entry.director_proposals
        ]

    @property
    def credit_keys(self):
        """The keys of the director proposals that can be applied, ticked in the preview."""
        return [proposal.key for _, proposal in self.director_proposals if proposal.applicable]

    @property
    def skipped_summary(self):
        return Counter(line.reason for line in self.skipped)

    def as_text(self):
        """The report as lines of text, for the management command."""
        where = f" [{self.curated_list.slug}]" if self.curated_list else ""
        lines = [
            f"Document: {self.filename or '(unnamed)'} — {self.kind_label}, "
            f"{len(self.entries)} entries in {self.line_count} lines, sha256 {self.sha256[:12]}…",
            f"List: “{self.list_title}”{where} — draft, {self.status}.",
            "",
        ]
        lines += [entry.as_text() for entry in self.entries]
        if self.credit_proposals:
            lines += ["", "Credits proposed from the prose (character (actor)):"]
            for entry, proposal in self.credit_proposals:
                state = _proposal_state(entry, proposal, self.create_credits)
                lines.append(
                    f"  line {proposal.line}: {entry.title}: {proposal.character} "
                    f"({proposal.person}) — {state}"
                )
        if self.director_proposals:
            lines += ["", "Directors named in the prose:"]
            for entry, proposal in self.director_proposals:
                lines.append(
                    f"  line {proposal.line}: {entry.title}: {proposal.name} — "
                    f"{proposal.state.label}"
                )
        if self.left_out:
            titles = ", ".join(f"line {entry.line}: {entry.title}" for entry in self.left_out)
            lines += ["", f"Skipped by the editor: {titles}."]
        if self.skipped:
            summary = ", ".join(
                f"{count} {reason}" for reason, count in self.skipped_summary.items()
            )
            lines += ["", f"Left out as boilerplate: {summary}."]
        lines += [
            "",
            f"Summary: {len(self.matched)} matched, {len(self.new)} new, "
            f"{len(self.ambiguous)} ambiguous; list {self.status}.",
        ]
        return lines


def _proposal_state(entry, proposal, create_credits):
    if proposal.ambiguous:
        return f"not created: ambiguous, {proposal.note}"
    if any(credit.character == proposal.character for credit in entry.credits_created):
        return "created (unverified)"
    if proposal.note:
        return proposal.note  # why the import left it out
    if entry.outcome == MatchOutcome.MATCHED:
        return "proposal only (the film already exists; credits there are editorial work)"
    if not create_credits:
        return "proposal only (use --create-credits to add it to the new film)"
    return "would be created (unverified)"


def document_sha256(text):
    """The digest that recognises a re-import: of the decoded, newline-normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def title_from_filename(filename):
    stem = PurePath(filename or "").stem.replace("-", " ").replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else ""


@transaction.atomic
def import_list(
    document_text,
    *,
    filename="",
    title=None,
    dry_run=False,
    replace=False,
    create_credits=False,
    overrides=None,
    director_credits=None,
    progress=None,
):
    """Import a list document (bytes or text) as a draft CuratedList, or report what would be.

    Everything is written in one transaction: any ListImportError leaves the database as it
    was. A document imported before (same sha256) changes nothing unless `replace`, which
    rebuilds that list's entries. `progress(done, total, entry_report)` is called per entry.
    `overrides` maps an entry's position to a film pk, NEW_FILM or SKIP (the editor's choice
    over the matcher's). Directors the prose names are credited when the person exists:
    those whose keys are in `director_credits`, or all of them with `create_credits`.
    """
    text = decode_document(document_text)
    parsed = parse_document(text, filename=filename)
    sha256 = document_sha256(text)
    list_title = " ".join((title or parsed.title or title_from_filename(filename)).split())
    list_title = list_title or gettext("Imported list")  # the editor may rename it
    if len(list_title) > MAX_TITLE_LENGTH:
        raise ListImportError(errors.TITLE_TOO_LONG.format(limit=MAX_TITLE_LENGTH))

    source = Source.objects.filter(sha256=sha256).first()
    existing_list = source.curated_lists.order_by("created_at", "pk").first() if source else None
    if existing_list and not replace:
        status = ImportStatus.ALREADY_IMPORTED
    elif existing_list:
        status = ImportStatus.WOULD_REPLACE if dry_run else ImportStatus.REPLACED
    else:
        status = ImportStatus.WOULD_CREATE if dry_run else ImportStatus.CREATED
    report = ImportReport(
        status=status,
        dry_run=dry_run,
        kind=parsed.kind,
        filename=filename,
        sha256=sha256,
        list_title=existing_list.title if existing_list and not title else list_title,
        introduction=parsed.introduction,
        line_count=parsed.line_count,
        skipped=parsed.skipped,
        curated_list=existing_list,
        source=source,
        create_credits=create_credits,
    )

    matcher = FilmMatcher({entry.year for entry in parsed.entries})
    total = len(parsed.entries)
    for done, entry in enumerate(parsed.entries, start=1):
        entry_report = EntryReport(
            entry=entry, match=matcher.match(entry.title, entry.year, entry.romanized_title)
        )
        report.entries.append(entry_report)
        if progress:
            progress(done, total, entry_report)
    if overrides:
        _apply_overrides(report, overrides)
    _propose_directors(report)
    _check_no_duplicate_films(report)
    if report.ambiguous and not dry_run and status != ImportStatus.ALREADY_IMPORTED:
        raise ListImportError(_ambiguity_message(report), report=report)
    if dry_run or status == ImportStatus.ALREADY_IMPORTED:
        return report
    if director_credits is None:
        director_credits = set(report.credit_keys) if create_credits else set()
    # Every row the import writes says in its history where it came from, and the list's
    # version, written once its entries are, holds them all.
    reason = f"Imported from {filename or list_title}"
    with history_reason(reason):
        _write(
            report,
            text=text,
            title=title,
            create_credits=create_credits,
            director_credits=set(director_credits),
        )
        if status == ImportStatus.CREATED:
            snapshot_latest_version(report.curated_list)
        else:
            record_list_version(report.curated_list, reason=reason)
    return report


def _apply_overrides(report, overrides):
    """The editor's choices replace the matcher's: another film, a new film, or no entry."""
    positions = {entry.position for entry in report.entries}
    unknown = sorted(set(overrides) - positions)
    if unknown:
        raise ListImportError(errors.OVERRIDE_UNKNOWN_ENTRY.format(position=unknown[0]))
    chosen_ids = {choice for choice in overrides.values() if isinstance(choice, int)}
    films = Film.objects.in_bulk(chosen_ids) if chosen_ids else {}
    kept = []
    for entry in report.entries:
        choice = overrides.get(entry.position)
        if choice == SKIP:
            report.left_out.append(entry)
            continue
        if choice == NEW_FILM:
            entry.match, entry.overridden = Match(reason=NEW_BY_EDITOR), True
        elif isinstance(choice, int):
            if choice not in films:
                raise ListImportError(
                    errors.OVERRIDE_FILM_MISSING.format(line=entry.line, title=entry.title),
                    line=entry.line,
                )
            entry.match = Match(film=films[choice], reason=CHOSEN_BY_EDITOR)
            entry.overridden = True
        kept.append(entry)
    if not kept:
        raise ListImportError(errors.NOTHING_LEFT, report=report)
    report.entries = kept


def _propose_directors(report):
    """Look up the directors the prose names (one query) and whether films credit them."""
    mentions = [
        (entry, index, mention)
        for entry in report.entries
        for index, mention in enumerate(entry.entry.director_mentions)
    ]
    if not mentions:
        return
    names = {mention.person for _, _, mention in mentions}  # as written: SQLite folds ASCII only
    query = Q()
    for name in names:
        query |= named(name)
    people = defaultdict(list)
    for person in Person.objects.filter(query).only("id", "slug", "name", "native_name"):
        for spelling in {person.name.casefold(), person.native_name.casefold()} - {""}:
            people[spelling].append(person)
    film_ids = {entry.match.film.pk for entry, _, _ in mentions if entry.match.film}
    person_ids = {p.pk for found in people.values() for p in found}
    credited = set()
    if film_ids and person_ids:
        credited = set(
            Credit.objects.filter(
                film_id__in=film_ids, person_id__in=person_ids, role=CreditRole.DIRECTOR
            ).values_list("film_id", "person_id")
        )
    for entry, index, mention in mentions:
        found = people.get(mention.person.casefold(), [])
        proposal = DirectorProposal(
            key=f"{entry.position}:{index}", name=mention.person, line=mention.line
        )
        if len(found) > 1:
            proposal.state = ProposalState.SEVERAL
        elif found:
            proposal.person = found[0]
            film = entry.match.film
            already = film is not None and (film.pk, found[0].pk) in credited
            proposal.state = ProposalState.ALREADY if already else ProposalState.CREDIT
        entry.director_proposals.append(proposal)


def _ambiguity_message(report):
    lines = ", ".join(
        gettext("line {line}: {title}").format(line=entry.line, title=entry.title)
        for entry in report.ambiguous
    )
    return errors.ambiguous_entries(len(report.ambiguous), lines)


def _check_no_duplicate_films(report):
    """A list holds a film once: two entries naming the same film are the document's error."""
    first_seen = {}
    for entry in report.entries:
        if entry.outcome == MatchOutcome.MATCHED:
            key = ("film", entry.match.film.pk)
            film = str(entry.match.film)
        elif entry.outcome == MatchOutcome.NEW:
            key = ("new", canonical_title(entry.title), entry.year)
            film = f"a new film {entry.title} ({entry.year})"
        else:
            continue
        if key in first_seen:
            raise ListImportError(
                errors.DUPLICATE_FILM.format(
                    line=entry.line, title=entry.title, first_line=first_seen[key], film=film
                ),
                line=entry.line,
                report=report,
            )
        first_seen[key] = entry.line


def _write(report, *, text, title, create_credits, director_credits):
    if report.source is None:
        report.source = Source.objects.create(
            slug=unique_slug(Source, report.list_title),
            title=report.list_title,
            kind=report.kind,
            filename=report.filename[:255],
            text=text,
            sha256=report.sha256,
        )
    if report.curated_list is not None:
        curated_list = report.curated_list
        curated_list.entries.all().delete()
        if title:
            curated_list.title = report.list_title
            curated_list.save(update_fields=["title", "updated_at"])
    else:
        curated_list = CuratedList.objects.create(
            slug=unique_slug(CuratedList, report.list_title),
            title=report.list_title,
            introduction=report.introduction,
            status=CuratedList.Status.DRAFT,
            source=report.source,
        )
        report.curated_list = curated_list
    # Positions are renumbered: entries the editor skipped leave no gap.
    for position, entry in enumerate(report.entries, start=1):
        if entry.match.film is not None:
            entry.film = entry.match.film
        else:
            entry.film = _create_film(entry, report)
            entry.film_created = True
            if create_credits:
                entry.credits_created = _create_credits(entry, report.source)
        for proposal in entry.director_proposals:
            if proposal.applicable and proposal.key in director_credits:
                _credit_director(entry.film, proposal, report.source)
        CuratedListEntry.objects.create(
            curated_list=curated_list,
            film=entry.film,
            position=position,
            blurb=entry.blurb,
            fact=entry.fact,
        )


def _create_film(entry, report):
    """A film the catalogue lacks: unpublished and unverified, sourced to the document, year
    and titles kept."""
    film = Film.objects.create(
        slug=unique_slug(Film, entry.title, fallback_suffix=str(entry.year)),
        title=entry.title[:300],
        romanized_title=entry.romanized_title[:300],
        release_year=entry.year,
        # Private until an editor publishes it, or a list that holds it (docs/publication.md).
        is_published=False,
        verification=Verification.UNVERIFIED,
        # A visitor reads this note once the film is public; the list (perhaps still a
        # draft) and its document are named in the film's source and list entry instead.
        verification_note="Created by a list import; not yet checked by an editor.",
    )
    film.sources.add(report.source)
    return film


def _create_credits(entry, source):
    """Unverified actor credits for a NEW film, from unambiguous 'Character (Actor)' pairs."""
    created = []
    for proposal in entry.credit_proposals:
        if proposal.ambiguous:
            continue
        person = _person_named(proposal.person, source)
        if person is None:
            proposal.note = "not created: more than one person in the catalogue has this name"
            continue
        credit, was_created = Credit.objects.get_or_create(
            film=entry.film,
            person=person,
            role=CreditRole.ACTOR,
            character=proposal.character[:200],
            defaults={"verification_note": "Proposed by the list importer from the prose."},
        )
        credit.sources.add(source)
        if was_created:
            created.append(credit)
    return created


def _credit_director(film, proposal, source):
    """An unverified director credit for a person the prose names and the catalogue holds."""
    credit, _ = Credit.objects.get_or_create(
        film=film,
        person=proposal.person,
        role=CreditRole.DIRECTOR,
        character="",
        defaults={
            "verification": Verification.UNVERIFIED,
            "verification_note": "Proposed by the list importer from the prose.",
        },
    )
    credit.sources.add(source)
    proposal.state = ProposalState.CREDITED


def named(name):
    """People called `name` in either script: their Latin name or their native one."""
    return Q(name__iexact=name) | Q(native_name__iexact=name)


def _person_named(name, source):
    """The one Person called `name`, a new unverified one, or None when several are."""
    people = list(Person.objects.filter(named(name))[:2])
    if len(people) > 1:
        return None
    if people:
        return people[0]
    # A name in Cyrillic (a Russian document) is the native name; the Latin one is made from it.
    latin, native = (romanize(name), name) if has_cyrillic(name) else (name, "")
    person = Person.objects.create(
        slug=unique_slug(Person, latin),
        name=latin[:200],
        native_name=native[:200],
        verification_note="Named in a list document's prose; created by the list importer.",
    )
    person.sources.add(source)
    return person
