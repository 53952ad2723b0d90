from tests.web.conftest import force_case, staff, today  # noqa: F401
