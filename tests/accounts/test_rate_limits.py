"""allauth's rate limits: repeated failed logins are refused once the limit is reached."""

from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY

from tests.accounts.conftest import PASSWORD, log_in


def test_failed_logins_beyond_limit_are_refused(client, settings, member):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    messages = get_adapter().error_messages
    mismatch, too_many = str(messages["email_password_mismatch"]), str(messages["too_many_login_attempts"])

    errors = [log_in(client, member.email, "wrong").context["form"].non_field_errors() for _ in range(4)]

    assert errors == [[mismatch], [mismatch], [mismatch], [too_many]]
    # Even the right password is refused while the limit holds.
    response = log_in(client, member.email, PASSWORD)
    assert response.context["form"].non_field_errors() == [too_many]
    assert SESSION_KEY not in client.session


def test_failed_logins_not_limited_when_rate_limits_off(client, settings, member):
    settings.ACCOUNT_RATE_LIMITS = False

    for _ in range(6):
        log_in(client, member.email, "wrong")
    response = log_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)
