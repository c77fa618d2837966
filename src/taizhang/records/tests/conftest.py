import pytest

from . import factories


@pytest.fixture
def rworld(db):
    """Committee DW, branches ZB01/ZB02 with 9 members (5 on the committee, 1 预备党员)."""
    return factories.world()
