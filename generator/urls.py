"""URL map: the wizard and the draft downloads live in generator.web, the public address of a
published policy in generator.public."""
from django.urls import include, path

urlpatterns = [
    path("", include("generator.public.urls")),
    path("", include("generator.web.urls")),
]
