"""Demo web complaints: filed through the public form's own door with a file attached, some with
a later addition through the tracking page, so that intake has something waiting. Invented
people only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from .actions import ComplaintInput, add_information, submit_complaint
from .models import WebComplaint

DEMO_COMPLAINTS: list[dict[str, Any]] = [
    {
        "what_happened": "I was stopped on my bike near Westlake Park and the officer shouted at me and "
        "would not give his name.",
        "topic": "courtesy",
        "name": "Marley Oakhurst",
        "email": "marley.oakhurst@example.org",
        "officer_name": "Officer Gray Redfern",
        "incident_place": "Westlake Park",
        "precinct": "west",
        "later": "I found a receipt showing the time: 9:42 pm.",
    },
    {
        "what_happened": "Two officers pushed my brother to the ground outside the light rail station; he "
        "was not resisting.",
        "topic": "use_of_force",
        "name": "Yael Brightwater",
        "phone": "206-555-0147",
        "incident_place": "Mount Baker station",
        "precinct": "south",
        "witnesses": "Kai Stillwater",
        "later": "My brother saw a doctor; I attach the note.",
    },
    {
        "what_happened": "An officer searched my car without asking and took my phone for an hour.",
        "topic": "search_seizure",
        "anonymous": True,
        "incident_place": "Aurora Ave N and N 85th St",
        "precinct": "north",
    },
]


def seed(today: dt.date) -> int:
    """File the demo web complaints once; returns how many were filed."""
    if WebComplaint.objects.exists():
        return 0
    n = 0
    for i, c in enumerate(DEMO_COMPLAINTS):
        data = ComplaintInput(
            what_happened=c["what_happened"],
            topic=c.get("topic", ""),
            anonymous=c.get("anonymous", False),
            name=c.get("name", ""),
            email=c.get("email", ""),
            phone=c.get("phone", ""),
            incident_date=today - dt.timedelta(days=3 + i),
            incident_place=c.get("incident_place", ""),
            precinct=c.get("precinct", ""),
            officer_name=c.get("officer_name", ""),
            witnesses=c.get("witnesses", ""),
            status_emails=bool(c.get("email")),
        )
        text = f"Demo attachment {i + 1}: what I wrote down that day.\n"
        photo = SimpleUploadedFile(f"note-{i + 1}.txt", text.encode())
        complaint, _code = submit_complaint(data, [photo])
        if c.get("later"):
            add_information(complaint, c["later"])
        n += 1
    return n
