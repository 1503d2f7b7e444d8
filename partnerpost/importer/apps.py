from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "partnerpost.importer"
    label = "importer"
    verbose_name = "Newsletter import"
    default_auto_field = "django.db.models.BigAutoField"
