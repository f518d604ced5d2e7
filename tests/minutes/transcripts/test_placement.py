"""Placement and grouping as pure functions, with a property over random transcripts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.transcripts.matching import Candidate, Matcher, agency_forms
from minutes.transcripts.parsing import Cue, parse
from minutes.transcripts.placement import Slot, group

JAKARTA = ZoneInfo("Asia/Jakarta")
NINE = datetime(2031, 9, 22, 9, tzinfo=JAKARTA)
SLOTS = [
    Slot(1, "opening", NINE, None),
    Slot(2, "item", NINE + timedelta(minutes=10), NINE + timedelta(minutes=40)),
    # A break from 09.40 to 10.00: what is said then stays with the item before it.
    Slot(3, "item", NINE + timedelta(minutes=60), NINE + timedelta(minutes=90)),
    Slot(4, "closing", None, NINE + timedelta(hours=3)),
]


def expected_section(moment: datetime) -> int:
    minutes = (moment - NINE).total_seconds() / 60
    if minutes < 10:
        return 1
    if minutes < 60:
        return 2
    if minutes < 90:
        return 3
    return 4


cues = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2 * 3600 * 1000),
        st.integers(min_value=0, max_value=20_000),
        st.sampled_from(["Rendra S - Kemnaker", "Siti N (BP2MI)", ""]),
        st.text(alphabet="abc ", min_size=1, max_size=8).map(str.strip).filter(bool),
    ),
    max_size=60,
).map(lambda rows: [Cue(s, s + d, who, text) for s, d, who, text in sorted(rows, key=lambda r: r[0])])


@settings(max_examples=200, deadline=None)
@given(cues)
def test_every_cue_lands_in_exactly_one_draft_in_order(cues):
    groups = group(cues, SLOTS, NINE)
    assert sum(g.cue_count for g in groups) == len(cues)
    assert [t for g in groups for t in g.texts] == [c.text for c in cues]
    position = 0
    for before, after in zip(groups, groups[1:], strict=False):
        assert (before.section, before.speaker) != (after.section, after.speaker)
    for g in groups:
        members = cues[position : position + g.cue_count]
        position += g.cue_count
        assert {c.speaker for c in members} == {g.speaker}
        assert {expected_section(NINE + timedelta(milliseconds=c.start_ms)) for c in members} == {g.section}
        assert g.starts_at == NINE + timedelta(milliseconds=members[0].start_ms)


def test_a_cue_across_a_boundary_goes_by_its_start_and_the_edges_go_to_opening_and_closing():
    before = Cue(9 * 60_000 + 55_000, 10 * 60_000 + 5_000, "A", "melewati batas")
    after_end = Cue(95 * 60_000, 95 * 60_000 + 1000, "A", "penutup")
    early = Cue(0, 1000, "A", "pembuka")
    groups = group([early, before, after_end], SLOTS, NINE)
    assert [(g.section, g.text) for g in groups] == [(1, "pembuka melewati batas"), (4, "penutup")]
    # Before the recording's first agenda item when recording started earlier.
    groups = group([early], SLOTS, NINE - timedelta(minutes=30))
    assert [g.section for g in groups] == [1]


def test_speaker_labels_match_agenda_speakers_and_registrants():
    matcher = Matcher(
        [
            Candidate(
                "Rendra Setiawan",
                person_id=1,
                agencies=agency_forms("Kementerian Ketenagakerjaan", "Kemnaker"),
            ),
            Candidate("Rendra Wijaya", registration_id=2, agencies=agency_forms("Kemlu")),
            Candidate("Dr. Siti Nurhaliza, M.Si", registration_id=3, agencies=agency_forms("BP2MI")),
            Candidate("Ayu Lestari", registration_id=4, agencies=agency_forms("Kemenhub")),
        ]
    )
    found = {
        label: (c.person_id or c.registration_id) if (c := matcher.match(label)) else None
        for label in (
            "Rendra S - Kemnaker",
            "RENDRA S",
            "Rendra - Kemlu",
            "Rendra",
            "Pak Rendra S. - Kementerian Ketenagakerjaan",
            "Siti N (BP2MI)",
            "BP2MI - Siti",
            "Ayú Lestari",
            "Ayu Lestry",
            "iPhone Galaxy",
            "R S",
        )
    }
    assert found == {
        "Rendra S - Kemnaker": 1,
        "RENDRA S": 1,
        "Rendra - Kemlu": 2,
        "Rendra": None,  # two Rendras: the label stays for the secretary
        "Pak Rendra S. - Kementerian Ketenagakerjaan": 1,
        "Siti N (BP2MI)": 3,
        "BP2MI - Siti": 3,
        "Ayú Lestari": 4,
        "Ayu Lestry": 4,
        "iPhone Galaxy": None,
        "R S": None,
    }


def test_voice_spans_and_unnamed_speech():
    parsed = parse(
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ayu Lestari>Halo semua</v>\n\n"
        b"00:00:02.000 --> 00:00:03.000\njam 10:30 kita mulai\n"
    )
    assert parsed.cues == [
        Cue(1000, 2000, "Ayu Lestari", "Halo semua"),
        Cue(2000, 3000, "", "jam 10:30 kita mulai"),
    ]
