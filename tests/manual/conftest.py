from tests.web.conftest import staff, today  # noqa: F401
