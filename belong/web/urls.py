from django.urls import path

from belong.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
]
