"""Scoping-walk cases of the surveys URLs that are not the registered kind's pages (those come
from ``core.testing.source_cases``): results, links, opinions and the public answer page."""

import datetime as dt

from taizhang.core.testing import PUBLIC, SECRET, Case
from taizhang.surveys import services


def cases(world):
    survey = services.create_survey({"org": world.branch_b, "title": f"{SECRET}测评", "start": dt.date(2023, 12, 1),
                                     "end": dt.date(2099, 12, 31), "items": [SECRET]})
    token = services.issue_tokens(survey, 1)[0]
    services.submit(services.issue_tokens(survey, 1)[0].token, {survey.items.get().pk: "satisfied"}, SECRET)
    response = survey.responses.get()
    data = {"org": world.branch_b.pk, "title": "x", "start": "2023-12-01", "end": "2023-12-31", "items": "x",
            "count": 5}
    return [
        Case("surveys:survey_results_export", {"pk": survey.pk}),
        Case("surveys:survey_tokens", {"pk": survey.pk}),
        Case("surveys:survey_tokens_issue", {"pk": survey.pk}, post=True, data=data),
        Case("surveys:opinion_to_problem", {"pk": response.pk}, post=True),
        # The respondents' page is public by design: a token is the only key.
        Case("surveys:answer", {"token": token.token}, expect=PUBLIC),
    ]
