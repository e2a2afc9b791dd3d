"""``manage.py load_seats``: the reference table of seats per organisation and position
(``weerbaar/fixtures/seats.csv``, sources in ``SEATS_SOURCES.md``). Idempotent; a number
the organisation entered itself stays. Any bad row stops the load before anything is
written, with every bad row named in Dutch."""

import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from weerbaar import audit
from weerbaar.constants import POSITIONS_BY_KIND, AuditAction, Position, SeatSource
from weerbaar.models import Organisation, SeatCount
from weerbaar.seats import FIXED_SEATS, allowed_seats

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "seats.csv"
COLUMNS = ("code", "position", "seats", "reference_date", "source")


class Command(BaseCommand):
    help = "Laad het aantal zetels per organisatie en functie uit de referentiegegevens."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SOURCE))

    @transaction.atomic
    def handle(self, *args, file, **options):
        rows = self._read(file)
        organisations = {
            o.code: o for o in Organisation.objects.filter(code__in={r["code"] for _n, r in rows})
        }
        parsed, errors = [], []
        seen = set()
        for line, row in rows:
            try:
                parsed.append(self._parse(row, organisations, seen))
            except ValueError as error:
                errors.append(f"Regel {line}: {error}")
        if errors:
            raise CommandError(
                "Het bestand met zetels is niet geladen; niets is gewijzigd.\n" + "\n".join(errors)
            )
        created, updated, kept = self._write(parsed)
        if created or updated:
            audit.record(
                AuditAction.UPDATE,
                reference="zetels",
                file=Path(file).name,
                created=created,
                updated=updated,
            )
        self.stdout.write(
            f"Zetels: {created} nieuw, {updated} bijgewerkt, {kept} door de organisatie zelf "
            f"opgegeven en behouden, {len(parsed)} in het bestand."
        )

    @staticmethod
    def _read(file):
        with open(file, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(
                    "Het bestand met zetels mist de kolom(men): " + ", ".join(missing) + "."
                )
            # Line 1 is the header.
            return [(n, row) for n, row in enumerate(reader, start=2)]

    @staticmethod
    def _parse(row, organisations, seen):
        code, position = (row["code"] or "").strip(), (row["position"] or "").strip()
        organisation = organisations.get(code)
        if organisation is None:
            raise ValueError(f"onbekende organisatiecode “{code}”.")
        if position not in Position.values:
            raise ValueError(f"onbekende functie “{position}”.")
        label = str(Position(position).label)
        if position not in POSITIONS_BY_KIND.get(organisation.kind, []):
            raise ValueError(f"de functie {label} bestaat niet bij {organisation}.")
        if (code, position) in seen:
            raise ValueError(f"{organisation} en {label} staan al op een eerdere regel.")
        seen.add((code, position))
        raw = (row["seats"] or "").strip()
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"het aantal zetels “{raw}” is geen geheel getal groter dan 0.")
        seats = int(raw)
        if position in FIXED_SEATS and seats != FIXED_SEATS[position]:
            raise ValueError(
                f"er is volgens de wet {FIXED_SEATS[position]} {label} per organisatie, "
                f"niet {seats}."
            )
        allowed = allowed_seats(position)
        if allowed is not None and seats not in allowed:
            raise ValueError(
                f"{seats} zetels voor {label} kan volgens de wet niet "
                f"(mogelijk: {', '.join(map(str, allowed))})."
            )
        try:
            reference_date = date.fromisoformat((row["reference_date"] or "").strip())
        except ValueError:
            raise ValueError(
                f"de peildatum “{row['reference_date']}” is geen datum als 2026-01-01."
            ) from None
        source = (row["source"] or "").strip()
        if not source:
            raise ValueError("de bron ontbreekt.")
        return SeatCount(
            organisation=organisation,
            position=position,
            seats=seats,
            source=SeatSource.REFERENCE,
            source_note=source[:300],
            reference_date=reference_date,
        )

    @staticmethod
    def _write(parsed):
        existing = {
            (s.organisation_id, s.position): s
            for s in SeatCount.objects.select_for_update().filter(
                organisation__in={p.organisation_id for p in parsed}
            )
        }
        new, changed, kept = [], [], 0
        now = timezone.now()
        fields = ("seats", "source_note", "reference_date")
        for row in parsed:
            current = existing.get((row.organisation_id, row.position))
            if current is None:
                new.append(row)
            elif current.source == SeatSource.ORGANISATION:
                kept += 1
            elif any(getattr(current, f) != getattr(row, f) for f in fields):
                for f in fields:
                    setattr(current, f, getattr(row, f))
                current.updated_at = now
                changed.append(current)
        SeatCount.objects.bulk_create(new)
        SeatCount.objects.bulk_update(changed, [*fields, "updated_at"])
        return len(new), len(changed), kept
