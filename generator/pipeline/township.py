"""The pages above the village-years: the township's front page, and each village's history and
closing notices."""

from __future__ import annotations

from pathlib import Path

from generator.archive.portal_manifest import PORTAL_FORMAT
from generator.archive.publish import VillagePlan
from generator.domain.model import PortalVillage, VillageSummary
from generator.domain.settings import VillageSettings
from generator.engine.staging import scratch
from generator.inputs.messages import Catalogue
from generator.render.pages import render_portal
from generator.site.mkdocs import build_site


def build_portal(settings: VillageSettings, catalogue: Catalogue, plans: list[VillagePlan],
                 published: list[VillageSummary], work: Path, public_key: str = "") -> Path:
    """The township page and the history and closing notices of each village built now, as one
    small site, in the township's words and settings (`settings` of one of its villages); every
    village is listed, those built now (`plans`) and those already `published` (whose other
    pages are as they were: their logs have not changed). `public_key`: the key the publication
    is signed with, printed on closing notices."""
    portal = {summary.id: PortalVillage(summary, None) for summary in published}
    for plan in plans:
        summary = VillageSummary(**{**plan.summary.__dict__, "years": plan.published_years or plan.summary.years})
        portal[summary.id] = PortalVillage(summary, plan.chain)
    with scratch() as folder:
        villages = [portal[key] for key in sorted(portal)]
        title = render_portal(settings.township, villages, folder / "docs", catalogue, public_key)
        # The menu names each village as the township does (河口村), not by its folder (Hekou).
        nav = [{title: "index.md"}] + [{village.summary.name: f"{village.summary.id}/"} for village in villages]
        # The villages' sites are beside this one, not in it: MkDocs need not warn of their links.
        build_site(folder / "docs", work / "site", site_name=title, nav=nav, catalogue=catalogue,
                   overrides={**settings.mkdocs, "validation": {"nav": {"not_found": "info"}},
                              "extra": {**settings.mkdocs.get("extra", {}), "home": _home(settings, villages)}},
                   versioned=False, search=False)
    return work / "site"


def _home(settings: VillageSettings, villages: list[PortalVillage]) -> dict[str, object]:
    """How the portal's 404 page finds the portal's home under any sub-path (overrides/404.html):
    the first names below the home, and the kind of its manifest.json."""
    names = [village.summary.id for village in villages] + ["assets", "search", "more"]
    return {"names": names, "format": PORTAL_FORMAT, "url": settings.site_url.rstrip("/") + "/" if settings.site_url else ""}
