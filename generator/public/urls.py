"""Public URLs, `/p/<slug>/...`, and the owner's actions on them under the secret link."""
from django.urls import path, register_converter

from generator.web import urls as web_urls  # noqa: F401 - registers the token and fmt converters

from . import feeds, owner_views, views


class SlugConverter:
    regex = r"[a-z0-9][a-z0-9-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugConverter, "public_slug")

app_name = "public"

urlpatterns = [
    path("p/<public_slug:slug>/", views.policy, name="policy"),
    path("p/<public_slug:slug>/download/<fmt:fmt>/", views.download, name="download"),
    path("p/<public_slug:slug>/versions/", views.versions, name="versions"),
    path("p/<public_slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("p/<public_slug:slug>/versions/<int:number>/changes/", views.changes, name="changes"),
    path("p/<public_slug:slug>/versions/<int:number>/download/<fmt:fmt>/", views.version_download,
         name="version_download"),
    path("p/<public_slug:slug>/versions/<int:number>/dpa/<fmt:fmt>/", views.version_dpa_download,
         name="version_dpa_download"),
    path("p/<public_slug:slug>/changes.atom", feeds.ChangesFeed(), name="feed"),
    path("p/<public_slug:slug>/subprocessors/", views.subprocessor_list, name="subprocessors"),
    path("p/<public_slug:slug>/subprocessors/dpa/<fmt:fmt>/", views.dpa_download, name="dpa_download"),
    path("p/<public_slug:slug>/subprocessors/subscribe/", views.subscribe, {"topic": "subprocessors"},
         name="subprocessors_subscribe"),
    path("p/<public_slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("p/<public_slug:slug>/subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("p/<public_slug:slug>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("d/<token:token>/public/rename/", owner_views.rename, name="rename"),
    path("d/<token:token>/public/unpublish/", owner_views.unpublish, name="unpublish"),
    path("d/<token:token>/versions/<int:number>/notice.txt", owner_views.notice_text, name="notice_text"),
    path("d/<token:token>/versions/<int:number>/notice-sent/", owner_views.record_notice_sent,
         name="record_notice_sent"),
    path("d/<token:token>/public/subscribers.csv", owner_views.subscribers_csv, name="subscribers_csv"),
]
