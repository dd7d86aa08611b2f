from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "belong.web"
    label = "web"
    verbose_name = "Web"
