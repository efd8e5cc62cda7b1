# Tests written to produce a JUnit sample with every result pytest records.
import pytest


def test_lockout():
    assert 5 > 4


def test_session_expiry():
    assert 30 < 15, "sessions outlive their limit"


@pytest.mark.skip(reason="needs the staging identity provider")
def test_sso_login():
    pass


@pytest.fixture
def broken():
    raise RuntimeError("fixture could not start the database")


def test_audit_log(broken):
    pass


@pytest.mark.parametrize("length", [8, 12])
def test_password_length(length):
    assert length >= 10


class TestTokens:
    def test_rotation(self):
        assert True
