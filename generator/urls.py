"""URL map: the wizard and the draft downloads live in generator.web."""
from django.urls import include, path

urlpatterns = [
    path("", include("generator.web.urls")),
]
