"""Embedded videos without a third party before consent (CNIL): the page shows a placeholder, and
the player's frame is loaded only when the visitor clicks (static/js/video-consent.js).

The player address is worked out from the video's address, with no call to the provider (no
oEmbed request when a page is rendered or saved)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Video:
    provider: str  # shown to the visitor: « YouTube », « Vimeo », « Dailymotion »
    video_id: str
    embed_url: str  # the player, loaded in a frame after consent
    watch_url: str  # the video on the provider's site, for those who prefer to go there


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{3,12}$")
_DAILYMOTION_ID = re.compile(r"^[A-Za-z0-9]{5,12}$")


def _youtube(video_id: str) -> Video | None:
    if not _YOUTUBE_ID.match(video_id):
        return None
    return Video(
        "YouTube",
        video_id,
        # The privacy-enhanced host: no cookie until the visitor plays the video.
        f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1",
        f"https://www.youtube.com/watch?v={video_id}",
    )


def _vimeo(video_id: str) -> Video | None:
    if not _VIMEO_ID.match(video_id):
        return None
    return Video(
        "Vimeo",
        video_id,
        f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1",
        f"https://vimeo.com/{video_id}",
    )


def _dailymotion(video_id: str) -> Video | None:
    if not _DAILYMOTION_ID.match(video_id):
        return None
    return Video(
        "Dailymotion",
        video_id,
        f"https://www.dailymotion.com/embed/video/{video_id}?autoplay=1",
        f"https://www.dailymotion.com/video/{video_id}",
    )


def parse_video_url(url: str) -> Video | None:
    """The video behind a YouTube (youtube.com, youtu.be, youtube-nocookie.com), Vimeo or
    Dailymotion (dailymotion.com, dai.ly) address; None for anything else."""
    try:
        parts = urlsplit(str(url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("youtube.com", "youtube-nocookie.com", "music.youtube.com"):
        if segments[:1] == ["watch"] or not segments:
            return _youtube(parse_qs(parts.query).get("v", [""])[0])
        if len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            return _youtube(segments[1])
        return None
    if host == "youtu.be" and segments:
        return _youtube(segments[0])
    if host == "vimeo.com" and segments:
        return _vimeo(segments[-1])
    if host == "player.vimeo.com" and len(segments) >= 2 and segments[0] == "video":
        return _vimeo(segments[1])
    if host == "dailymotion.com" and len(segments) >= 2:
        if segments[0] == "video":
            return _dailymotion(segments[1].split("_")[0])
        if segments[:2] == ["embed", "video"] and len(segments) >= 3:
            return _dailymotion(segments[2])
        return None
    if host == "dai.ly" and segments:
        return _dailymotion(segments[0])
    return None
