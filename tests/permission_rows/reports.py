"""Rows of the activity report and the news article: meeting A's staff only (meeting A's
minutes are approved in the world, so every page answers); another meeting's staff, the
analyst and strangers get 404, anonymous users the login page."""


def build(world: dict, objects: dict) -> None:
    world["report_key"] = "latar_belakang"
    world["news_field"] = "headline"


def rows() -> list:
    from tests.test_permission_matrix import POST_ONLY, Row, staff, with_code

    return [
        *staff("minutes:activity_report", "minutes:report_docx", "minutes:news_article"),
        *staff("minutes:news_docx", "minutes:news_html"),
        Row("minutes:report_section", with_code(key="report_key"), expect=dict(POST_ONLY)),
        Row("minutes:news_field", with_code(field="news_field"), expect=dict(POST_ONLY)),
        *staff("minutes:news_redraft", expect=dict(POST_ONLY)),
    ]
