"""The problem's 序号: two problems created at the same moment never get the same number."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from taizhang.orgs.tests.factories import build_tree
from taizhang.rectification.models import Problem, ProblemSource


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="row locks are PostgreSQL's: SQLite lets one writer in at a time anyway")
@pytest.mark.django_db(transaction=True)
def test_two_problems_created_at_once_get_different_numbers():
    org = build_tree(branches=1, groups=0)["branches"][0]
    source, _ = ProblemSource.objects.get_or_create(name="其他")
    barrier, errors = threading.Barrier(2), []

    def create(i: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                Problem(org=org, source=source, description=f"同时登记的问题{i}").save()
                time.sleep(0.3)  # hold the transaction open: the other one must wait for it
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Problem.objects.filter(org=org).values_list("number", flat=True)) == [1, 2]
