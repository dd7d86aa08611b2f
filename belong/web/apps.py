from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "belong.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        # Subscribes the visitor page cache to every domain event.
        from belong.web import visitor_cache  # noqa: F401
