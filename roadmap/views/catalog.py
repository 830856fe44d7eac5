"""Views of the public catalog, the learner's plan and progress."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from roadmap.models import Skill, Track


def home(request: HttpRequest) -> HttpResponse:
    tracks = Track.objects.all()
    return render(request, "roadmap/home.html", {"tracks": tracks})


def track_detail(request: HttpRequest, slug: str) -> HttpResponse:
    track = get_object_or_404(Track, slug=slug)
    return render(request, "roadmap/track.html", {"track": track})


def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    skill = get_object_or_404(Skill, slug=slug)
    return render(request, "roadmap/skill.html", {"skill": skill})
