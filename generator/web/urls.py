"""Wizard URLs (filled in by the wizard module)."""
urlpatterns = []
