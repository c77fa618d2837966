import pytest


@pytest.fixture
def sample(db):
    """The sample organization (orgs.sample) with the sample records (records.sample):
    Sep 2023 – Jan 2024 with four meetings missing on purpose."""
    from taizhang.orgs.sample import create_sample_orgs
    from taizhang.records.sample import load_sample_records

    orgs = create_sample_orgs()
    load_sample_records(orgs["committee"])
    return {"committee": orgs["committee"], "branches": {b.code: b for b in orgs["branches"]},
            "groups": {g.code: g for g in orgs["groups"]}}
