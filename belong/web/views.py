from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "web/home.html", {})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse("Too many requests", status=429)
