"""Wizard URLs. A draft lives only under its secret link: /d/<token>/<step>/, the token being
`secrets.token_urlsafe(32)` (43 characters); no database id ever appears in a URL."""
from django.urls import path, register_converter

from generator.render.formats import FORMAT_IDS

from . import views


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{43}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class FormatConverter:
    regex = "|".join(FORMAT_IDS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")
register_converter(FormatConverter, "fmt")

app_name = "web"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start, name="start"),
    path("upload/", views.upload, name="upload"),
    path("d/<token:token>/", views.draft_home, name="draft"),
    path("d/<token:token>/answers.yaml", views.answers_yaml, name="answers_yaml"),
    path("d/<token:token>/review/", views.review, name="review"),
    path("d/<token:token>/download/<fmt:fmt>/", views.download, name="download"),
    path("d/<token:token>/dpa/download/<fmt:fmt>/", views.dpa_download, name="dpa_download"),
    path("d/<token:token>/publish/", views.publish, name="publish"),
    path("d/<token:token>/sources/", views.sources, name="sources"),
    path("d/<token:token>/versions/", views.versions, name="versions"),
    path("d/<token:token>/versions/<int:number>/", views.version, name="version"),
    path("d/<token:token>/versions/<int:number>/answers.yaml", views.version_answers_yaml, name="version_answers_yaml"),
    path("d/<token:token>/versions/<int:number>/download/<fmt:fmt>/", views.version_download, name="version_download"),
    path("d/<token:token>/<slug:step>/", views.step, name="step"),
]
