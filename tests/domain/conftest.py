import pytest


@pytest.fixture(autouse=True)
def _domain_app_context(app_context):
    yield
