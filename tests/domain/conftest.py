import pytest
from flask_babel import force_locale


@pytest.fixture(autouse=True)
def _domain_app_context(app_context):
    with force_locale("en"):  # messages are asserted in English, the catalog's source language
        yield
