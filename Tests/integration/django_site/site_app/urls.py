"""The site's two pages: a form that posts back (CSRF-checked) and where it lands."""

from django.shortcuts import redirect, render
from django.urls import path


def form(request):
    if request.method == "POST":
        return redirect("/thanks/?name=" + request.POST.get("name", ""))
    return render(request, "form.html")


def thanks(request):
    return render(request, "thanks.html", {"name": request.GET.get("name", "")})


urlpatterns = [path("", form), path("thanks/", thanks)]
