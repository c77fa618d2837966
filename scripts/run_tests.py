"""Run the whole suite on SQLite, then again on PostgreSQL when a server is reachable.

`make test` calls this. On a user's machine without PostgreSQL the second run is skipped with
the reason printed; under `.ci/run` (TAIZHANG_REQUIRE_POSTGRES=1) a missing server fails.
Browser tests run in the SQLite pass only (they test pages, not the database).
"""

import os
import subprocess
import sys

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_problem(url: str) -> str | None:
    """Return why PostgreSQL at ``url`` cannot be used, or None when it answers."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a pinned dependency
        return f"psycopg is not installed ({exc})"
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:  # any connection failure is a reason to skip
        return f"no PostgreSQL at {url}: {str(exc).strip().splitlines()[0]}"


def pytest(extra_env: dict[str, str], args: list[str]) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    args = sys.argv[1:]
    print("== Test suite on SQLite ==", flush=True)
    env = {"DATABASE_URL": ""}
    code = pytest(env, args)
    if code != 0:
        return code

    url = os.environ.get("TAIZHANG_TEST_DATABASE_URL", DEFAULT_PG)
    problem = postgres_problem(url)
    if problem:
        if os.environ.get("TAIZHANG_REQUIRE_POSTGRES") == "1":
            print(f"FAILED: PostgreSQL is required here but {problem}", flush=True)
            return 1
        print(f"SKIPPED the PostgreSQL run: {problem}", flush=True)
        return 0
    print(f"== Test suite on PostgreSQL ({url}) ==", flush=True)
    return pytest({"DATABASE_URL": url}, ["-m", "not browser", *args])


if __name__ == "__main__":
    sys.exit(main())
