"""App config for catalog."""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CatalogConfig(AppConfig):
    name = "catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog.versioning import catalog_changed

        # Every write to content moves the catalog's version stamp (catalog.versioning).
        for model in self.get_models(include_auto_created=True):
            post_save.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog-changed-save-{model.__name__}"
            )
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog-changed-del-{model.__name__}"
            )
            m2m_changed.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog-changed-m2m-{model.__name__}"
            )
