"""The XML sitemap (sitemaps.org 0.9) of the public pages, and the robots.txt that points to it:
home, the job board and each open vacancy's page with when it last changed, so search engines
find new jobs soon and drop closed ones (their pages answer 404)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from xml.etree import ElementTree

from sqlmodel import Session

from models.clock import local_time, today
from models.queries.vacancy_feed import sitemap_vacancies

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_MEDIA_TYPE = "application/xml"

UrlFor = Callable[..., str]


def _url(urlset: ElementTree.Element, location: str, changed: datetime | None) -> None:
    entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
    ElementTree.SubElement(entry, f"{{{SITEMAP_NAMESPACE}}}loc").text = location
    if changed is not None:
        lastmod = local_time(changed).isoformat(timespec="seconds")
        ElementTree.SubElement(entry, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = lastmod


def sitemap_xml(session: Session, *, url_for: UrlFor) -> bytes:
    """The sitemap; `url_for(route name, **path params)` gives absolute addresses."""
    vacancies = sitemap_vacancies(session, on=today())
    newest = vacancies[0][1] if vacancies else None
    ElementTree.register_namespace("", SITEMAP_NAMESPACE)
    urlset = ElementTree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    _url(urlset, url_for("home"), None)
    _url(urlset, url_for("board"), newest)
    for vacancy_id, changed in vacancies:
        _url(urlset, url_for("board_vacancy", vacancy_id=vacancy_id), changed)
    return ElementTree.tostring(urlset, encoding="UTF-8", xml_declaration=True)


def robots_txt(sitemap_url: str) -> str:
    """Every public page may be crawled; signed-in pages send a robot to the sign-in form."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
