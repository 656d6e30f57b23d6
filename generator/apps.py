from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    name = "generator"
    verbose_name = "HostPolicy generator"
    default_auto_field = "django.db.models.BigAutoField"
