"""How the run's 5% is shared between the kinds of check (flag types).

A head reads any flag as "something is wrong", so the promise is about the whole run: in a school
where nothing is wrong, pmreport raises any flag at all in at most 1 run in 20 (``alpha``). The
``kinds`` flag types that can flag anything share it equally (``alpha / kinds`` each, a
Bonferroni split); within a type, Tarone's rule and Holm's method keep that type's share.
Adjusted p-values are on the run's scale: a comparison is flagged when its adjusted p-value is
at most ``alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pmreport.moderation.exact import holm, tarone


@dataclass(frozen=True)
class Allotment:
    alpha: float
    #: Flag types sharing ``alpha`` (1: the type on its own).
    kinds: int = 1

    @property
    def level(self) -> float:
        """The share of each flag type."""
        return self.alpha / self.kinds

    def testable(self, p_min: npt.ArrayLike) -> np.ndarray:
        """Tarone's rule at this type's share."""
        return tarone(p_min, self.level)

    def adjust(self, p_values: npt.ArrayLike, p_min: npt.ArrayLike) -> np.ndarray:
        """Holm over the testable comparisons of one type, scaled to the run (NaN: not tested)."""
        return np.minimum(1.0, holm(p_values, self.testable(p_min)) * self.kinds)


def kinds_sharing(p_mins: Sequence[npt.ArrayLike], alpha: float) -> int:
    """How many flag types share ``alpha``: the smallest K such that at most K types have a
    comparison that could be flagged at ``alpha / K`` (Tarone's rule applied to the types). Decided
    from the margins only (the smallest p-value each test could give), never from the outcomes."""
    m = len(p_mins)
    for k in range(1, m + 1):
        if sum(bool(tarone(pm, alpha / k).any()) for pm in p_mins) <= k:
            return k
    return max(1, m)


#: Words for a comparison that could reach its type's share on its own but was left out of the
#: family by Tarone's rule (too many others of its kind could reach the level).
CROWDED = "with these numbers it could stand out on its own, but not alongside the other comparisons of this kind"


def verdict(p_adjusted: float, p_min: float, allot: Allotment) -> str:
    """'too few to say' when this comparison could never reach its type's share of the 5% whatever
    the outcomes (decided by the comparison alone, not by the others in its family); otherwise
    'flag' or 'no flag' (also 'no flag' when Tarone's rule left it out of the family)."""
    if np.isnan(p_min) or p_min > allot.level:
        return "too few to say"
    if np.isnan(p_adjusted):
        return "no flag"
    return "flag" if p_adjusted <= allot.alpha else "no flag"
