from tests.web.conftest import *  # noqa: F403  (staff, today, the intake fixtures)
