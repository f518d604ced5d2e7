"""Rows of the certificates of attendance and the name badges.

`build` issues the certificates of meeting A (registration A1 checked in on day 1, so it holds
one): the organizer's pages are meeting A's organizer's only (another meeting's staff get 404);
the holder downloads their own through their private link; the public verification page answers
only for the certificate's genuine code (a tampered code is 404, like any private link).
"""


def build(world: dict, objects: dict) -> None:
    from participants.services import certificates

    issued = certificates.issue_all(objects["a"], actor=objects["org_a"])
    (certificate,) = [c for c in issued.created if c.registration_id == objects["reg_a1"].pk]
    world["certificate"] = certificate.pk
    world["certificate_code"] = certificate.verification_code


def rows() -> list:
    from tests.test_permission_matrix import POST_ONLY, TOKEN, Row, _reg_token_rows, staff, with_code

    return [
        *staff("minutes:certificates", "participants:badges"),
        *staff(
            "minutes:certificate_settings",
            "minutes:certificate_template",
            "minutes:certificate_issue",
            "minutes:certificate_send",
            expect=dict(POST_ONLY),
        ),
        Row("minutes:certificate_revoke", with_code(pk="certificate"), expect=dict(POST_ONLY)),
        Row("minutes:certificate_download", with_code(pk="certificate")),
        *_reg_token_rows("minutes:participant_certificate"),
        Row(
            "participants:certificate_verify",
            lambda w: {"code": w["certificate_code"]},
            expect=dict(TOKEN),
            right=None,
            token="code",
        ),
    ]
