"""The choices behind the moderation analysis, in one place, with the defaults documented in
docs/moderation.md. A school can change them; the calibration in benchmarks/ uses the defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pmreport.school_year import AGE_BAND_EDGES, policy_default


@dataclass(frozen=True)
class ModerationSettings:
    #: Experience bands (years) as (lowest, highest) inclusive; the last may be open (None).
    experience_bands: tuple[tuple[float, float | None], ...] = ((0, 2), (3, 5), (6, 10), (11, None))
    #: Fewest statements in a peer group (the statement itself included) for a comparison.
    #: Smaller groups are merged with an adjacent experience band; if still too small,
    #: their statements are "too few to compare".
    min_peer_group: int = 5
    #: Family-wise false-positive rate allowed per flag type per school.
    alpha: float = 0.05
    #: Confidence level of every interval shown.
    level: float = 0.95
    #: Fewest people in each side of an equality or reviewer comparison.
    min_group: int = 3
    #: A statement is flagged only when it also differs from its peers' average by at least this
    #: much (a difference that matters in practice, not just one that is unlikely to be chance).
    material_difference: dict[str, float] = field(default_factory=lambda: {
        "objectives": 2.0,
        "pupil_progress_share": 0.5,
        "priority_share": 0.5,
        "determined_share": 0.5,
        "observation_minutes": 90.0,
        "development_agreed": 2.0,
    })
    #: The smallest spread (standard deviation) assumed between similar colleagues, so that a
    #: school where nearly everyone has the same value does not make every small difference "unusual".
    spread_floor: dict[str, float] = field(default_factory=lambda: {
        "objectives": 0.5,
        "pupil_progress_share": 0.15,
        "priority_share": 0.15,
        "determined_share": 0.15,
        "observation_minutes": 30.0,
        "development_agreed": 0.5,
    })
    #: The equality test by age compares staff of this age and over with everyone younger: where one of
    #: the age bands every table uses (pmreport.school_year.AGE_BANDS) starts.
    age_test_from: int = 50
    #: Share of statements moderated under option (b) when the school sheet does not say (the policy's
    #: default, data_schemas/school.yaml).
    default_sample_fraction: float = float(policy_default("moderation_sample_fraction"))
    #: Under option (b), add a statement for any reviewer the random sample missed.
    sample_every_reviewer: bool = True
    #: Working days after the meeting by which moderation must be complete (policy §5).
    moderation_working_days: int = 10

    def __post_init__(self) -> None:
        if self.age_test_from not in AGE_BAND_EDGES:
            raise ValueError(f"age_test_from must be where an age band starts: one of {AGE_BAND_EDGES}")

    def band_labels(self) -> list[str]:
        out = []
        for lo, hi in self.experience_bands:
            out.append(f"{lo:g}+ years" if hi is None else f"{lo:g}-{hi:g} years")
        return out

    def to_dict(self) -> dict:
        return asdict(self)
