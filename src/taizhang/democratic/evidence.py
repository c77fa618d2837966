"""How the democratic app's records complete plan tasks (``core.sources.Evidence.counter``;
contract in ``rectification.evidence``: ``fn(pairs) -> list[(count, needed)]``)."""

from __future__ import annotations

from taizhang.orgs.models import LeadershipTeam

from .models import Opinion
from .preparation import materials, talk_matrix


def count_preparation(pairs) -> list[tuple[int, int]]:
    """民主生活会会前准备 (seed 二.9 "认真开展谈心谈话，广泛收集意见建议，着手撰写对照检查材料").

    For the organization's leadership team, in the rule's window: at least one opinion
    gathered, every pair of the talk matrix talked, the team's and each member's material
    approved (for the year the window ends in, or the year before: the 2023 meeting is
    prepared in January 2024). Count = (opinions ≥ 1) + pairs talked + materials approved;
    needed = 1 + pairs + materials, so the board shows how far the preparation is. An
    organization without a team: (0, 1). Queries: a constant number per (team, window), not
    per record or per pair."""
    results = []
    teams = {t.org_id: t for t in LeadershipTeam.objects.filter(org_id__in={t.org.pk for t, _r in pairs})}
    done: dict[tuple, tuple[int, int]] = {}  # (team, window) → result: occurrences share it
    for target, rule in pairs:
        team = teams.get(target.org.pk)
        if team is None:
            results.append((0, 1))
            continue
        start, end = target.window(rule)
        key = (team.pk, start, end)
        if key not in done:
            matrix = talk_matrix(team, start, end)
            opinions = Opinion.objects.filter(team=team, date__range=(start, end)).exists()
            best = max((materials(team, year, end) for year in sorted({start.year, end.year - 1, end.year})),
                       key=lambda m: m.done)
            done[key] = (int(opinions) + matrix.covered + best.done, 1 + matrix.needed + best.needed)
        results.append(done[key])
    return results
