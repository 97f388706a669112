"""The posts of a synthetic school: pay ranges, job titles and the mix of staff by phase and size."""

from __future__ import annotations

import math

PAY_POINTS = {
    "main": [f"M{i}" for i in range(1, 7)],
    "upper": [f"U{i}" for i in range(1, 4)],
    "unqualified": [f"UQ{i}" for i in range(1, 7)],
    "leading_practitioner": [f"LP{i}" for i in range(1, 6)],
    "leadership": [f"L{i}" for i in range(1, 44)],
    "support": [f"SCP {i}" for i in range(1, 44)],
}

#: Support posts by family: (post, lowest and highest spine point of the grade, share of women).
SUPPORT_POSTS = {
    "ta": [("Teaching Assistant", 3, 7, 0.93), ("Teaching Assistant Level 3", 6, 11, 0.92), ("HLTA", 12, 17, 0.9)],
    "admin": [("Administrative Officer", 5, 9, 0.88), ("Receptionist", 3, 6, 0.9), ("Finance Officer", 8, 13, 0.8)],
    "site": [("Caretaker", 4, 8, 0.15), ("Cleaner", 1, 3, 0.75)],
    "tech": [("Science Technician", 6, 11, 0.55), ("IT Technician", 8, 14, 0.25), ("Exams Officer", 7, 12, 0.8)],
    "cover": [("Cover Supervisor", 7, 11, 0.7)],
    "other": [("Learning Mentor", 8, 12, 0.8), ("Family Liaison Officer", 9, 14, 0.9), ("Midday Supervisor", 1, 3, 0.95)],
}
SUPERVISOR_POSTS = {
    "ta": ("Senior Teaching Assistant", 12, 17, 0.92),
    "admin": ("Office Manager", 14, 20, 0.85),
    "site": ("Premises Manager", 12, 18, 0.2),
}
BUSINESS_MANAGER = ("School Business Manager", 25, 32, 0.8)

PHASE = {
    #            teacher share, women among teachers, support family shares
    "primary": (0.45, 0.85, {"ta": 0.62, "admin": 0.18, "site": 0.12, "other": 0.08}),
    "secondary": (0.60, 0.64, {"ta": 0.38, "admin": 0.22, "site": 0.1, "tech": 0.14, "cover": 0.08, "other": 0.08}),
    "special": (0.32, 0.75, {"ta": 0.74, "admin": 0.12, "site": 0.07, "other": 0.07}),
    # all-through: a primary and a secondary phase under one head, the mix of a large school or a trust's schools
    "all_through": (0.55, 0.72, {"ta": 0.48, "admin": 0.2, "site": 0.1, "tech": 0.1, "cover": 0.06, "other": 0.06}),
}
DEFAULT_SIZE = {"primary": 25, "secondary": 120, "special": 40, "all_through": 180}

SECONDARY_SUBJECTS = (
    "English", "Mathematics", "Science", "History", "Geography", "Modern Languages", "Computing", "Art",
    "Music", "PE", "Design and Technology", "Religious Education", "Drama", "Business Studies",
)
MIDDLE_POSTS = {
    "primary": ("Phase Leader", "SENCo", "Maths Lead", "English Lead", "Early Years Lead"),
    "secondary": tuple(f"Head of {s}" for s in SECONDARY_SUBJECTS[:8]) + ("SENCo",) + tuple(f"Head of Year {y}" for y in range(7, 12)),
    "special": ("Phase Leader", "SENCo", "Curriculum Lead", "Head of Sixth Form", "Therapies Lead"),
    "all_through": ("Head of Primary", "Phase Leader", "Early Years Lead")
    + tuple(f"Head of {s}" for s in SECONDARY_SUBJECTS[:8]) + ("SENCo",) + tuple(f"Head of Year {y}" for y in range(7, 12)),
}
TLR_POSTS = ("Teacher (TLR 2b)", "Subject Lead (TLR 2a)", "Second in Department", "Key Stage Coordinator")
LEADERSHIP_BASE = {  # lowest leadership point of each post's five-point range, by phase
    "primary": {"headteacher": 16, "deputy": 8, "assistant": 4},
    "secondary": {"headteacher": 28, "deputy": 17, "assistant": 10},
    "special": {"headteacher": 19, "deputy": 10, "assistant": 5},
    "all_through": {"headteacher": 30, "deputy": 18, "assistant": 10},
}

ETHNICITY_WEIGHTS = (
    ("WBRI", 76), ("WIRI", 1.2), ("WOTH", 5), ("WROM", 0.2), ("WIRT", 0.1), ("MWBC", 1.6), ("MWBA", 0.8), ("MWAS", 0.8),
    ("MOTH", 0.8), ("AIND", 3), ("APKN", 2.2), ("ABAN", 1), ("AOTH", 1), ("BCRB", 1.2), ("BAFR", 2), ("BOTH", 0.4),
    ("CHNE", 0.6), ("OOTH", 0.6), ("REFU", 1.5),
)
PART_TIME_FTE = (0.4, 0.5, 0.6, 0.6, 0.7, 0.8, 0.8, 0.9)

#: Which supervisors' teams each support family belongs to (the business manager takes the rest).
TEAM_OF = {"ta": "ta", "cover": "ta", "other": "ta", "admin": "admin", "tech": "admin", "site": "site"}


def slots(phase: str, n_core: int, rng) -> list[dict]:
    """The posts of a school of this phase and size, leaders first."""
    share, women, families = PHASE[phase]
    n_teach = max(3, round(n_core * share))
    n_support = max(2, n_core - n_teach)
    n_teach = n_core - n_support
    base = LEADERSHIP_BASE[phase]
    slots: list[dict] = [
        dict(post="Headteacher", role_group="headteacher", responsibility="headteacher", pay_range="leadership",
             pay_lo=base["headteacher"], pay_hi=base["headteacher"] + 6, qts=True, family="leader",
             female=0.7 if phase == "primary" else 0.45)
    ]
    n_senior = 1 if n_teach < 12 else max(2, round(n_teach * 0.08))
    for i in range(n_senior):
        kind = "deputy" if i == 0 or (i == 1 and n_teach > 40) else "assistant"
        slots.append(dict(post="Deputy Headteacher" if kind == "deputy" else "Assistant Headteacher",
                          role_group="teacher", responsibility="senior_leader", pay_range="leadership",
                          pay_lo=base[kind], pay_hi=base[kind] + 5, qts=True, family="leader", female=women - 0.1))
    rest = n_teach - 1 - n_senior
    n_middle = 0 if rest < 4 else max(1, round(rest * 0.18))
    middle_posts = MIDDLE_POSTS[phase]
    for i in range(n_middle):
        slots.append(dict(post=middle_posts[i % len(middle_posts)], role_group="teacher",
                          responsibility="middle_leader", pay_range="upper" if rng.random() < 0.8 else "main",
                          qts=True, family="leader", female=women, part_time=0.08))
    rest -= n_middle
    n_lp = max(1, rest // 150) if (phase in ("secondary", "all_through") and rest >= 30) else 0
    n_unq = round(rest * 0.03) if phase != "primary" else 0
    n_tlr = round(rest * 0.12)
    for _ in range(n_lp):
        slots.append(dict(post="Lead Practitioner", role_group="teacher", responsibility="tlr_holder",
                          pay_range="leading_practitioner", qts=True, family="teacher", female=women))
    for _ in range(n_unq):
        slots.append(dict(post="Unqualified Teacher", role_group="teacher", responsibility="classroom_teacher",
                          pay_range="unqualified", qts=False, family="teacher", female=women, part_time=0.3))
    for i in range(n_tlr):
        slots.append(dict(post=TLR_POSTS[i % len(TLR_POSTS)], role_group="teacher", responsibility="tlr_holder",
                          pay_range="upper" if rng.random() < 0.5 else "main", qts=True, family="teacher",
                          female=women, part_time=0.15))
    for i in range(rest - n_lp - n_unq - n_tlr):
        subject = f"Teacher of {SECONDARY_SUBJECTS[i % len(SECONDARY_SUBJECTS)]}"
        post = subject if phase == "secondary" or (phase == "all_through" and i % 3) else "Class Teacher"
        slots.append(dict(post=post, role_group="teacher", responsibility="classroom_teacher", pay_range="main",
                          qts=True, family="teacher", female=women, part_time=0.22))
    # support staff: a business manager, supervisors for the larger teams, then the teams
    n_extra_sup = max(0, math.ceil((n_support - 1) / 6) - 1)
    slots.append(support_slot(BUSINESS_MANAGER, "business", "support_supervisor"))
    order = ["ta", "admin", "ta", "site", "ta", "admin", "ta"]
    for i in range(n_extra_sup):
        fam = order[i % len(order)]
        if fam not in families:
            fam = "ta"
        slots.append(support_slot(SUPERVISOR_POSTS[fam], fam, "support_supervisor"))
    n_team = n_support - 1 - n_extra_sup
    counts = {f: int(n_team * s) for f, s in families.items()}
    fams = sorted(families, key=lambda f: -families[f])
    i = 0
    while sum(counts.values()) < n_team:
        counts[fams[i % len(fams)]] += 1
        i += 1
    for fam in fams:
        posts = SUPPORT_POSTS[fam]
        for j in range(counts[fam]):
            weights = [6, 3, 1] if fam == "ta" else [1] * len(posts)
            spec = rng.choices(posts, weights=weights[: len(posts)], k=1)[0] if j else posts[0]
            slots.append(support_slot(spec, fam, "support"))
    return slots

def support_slot(spec, family: str, responsibility: str) -> dict:
    post, lo, hi, female = spec
    part = {"ta": 0.55, "admin": 0.35, "site": 0.25, "other": 0.6, "tech": 0.2, "cover": 0.2}.get(family, 0.1)
    if post == "Midday Supervisor":
        part = 1.0
    return dict(post=post, role_group="support", responsibility=responsibility, pay_range="support",
                pay_lo=lo - 1, pay_hi=hi - 1, qts=False, family=family, female=female,
                part_time=part if responsibility == "support" else 0.1)
