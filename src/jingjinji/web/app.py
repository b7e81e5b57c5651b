"""The application factory: ``create_app(settings)``; nothing happens at import time.

The lifespan creates the engine, applies migrations and loads the atlas.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from functools import partial
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from jingjinji import __version__, market
from jingjinji.atlas import Atlas
from jingjinji.policies.queries import PolicySearchIndex
from jingjinji.settings import Settings, get_settings
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.web.api import API_ROUTERS
from jingjinji.web.api.chains import coverage_with_suggestions
from jingjinji.web.errors import install_error_handlers
from jingjinji.web.hardening import install_security_headers
from jingjinji.web.heap import freeze_long_lived
from jingjinji.web.pages import PAGE_ROUTERS
from jingjinji.web.security import AuthMiddleware
from jingjinji.web.templating import render
from jingjinji.web.uploads import UploadLimitMiddleware
from jingjinji.web.visitor_cache import Invalidations, VisitorCache
from jingjinji.web.warm_visitors import visitor_paths, warm_visitor_answers

__all__ = ["STATIC_DIR", "create_app", "start_app", "stop_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured application; the database is opened and upgraded when it starts."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Synchronous routes run in this many threads of the worker (AnyIO's default is 40):
        # the work is mostly Python under one GIL, and 40 threads thrash it.
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        start_app(app)
        loop = asyncio.get_running_loop()
        visitors = app.state.warming_visitors = loop.create_task(_warm_visitors(app))
        stopping = asyncio.Event()
        follower = loop.create_task(_follow_listings(app, stopping))
        try:
            yield
        finally:
            stopping.set()  # the follower ends after the look under way, if any
            await follower
            visitors.cancel()
            with suppress(asyncio.CancelledError):
                await visitors
            stop_app(app)

    app = FastAPI(
        title="京津冀协同发展平台 API",
        version=__version__,
        description=(
            "京津冀协同发展平台的 JSON 接口：地图与产业链、供需对接、项目库、政策清单、指标评价。"
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(UploadLimitMiddleware)  # inside auth: its 413 reaches routes unwrapped
    app.state.visitor_invalidations = Invalidations()
    # inside auth, which tells a visitor from a user
    app.add_middleware(VisitorCache, invalidations=app.state.visitor_invalidations)
    app.add_middleware(AuthMiddleware)
    install_security_headers(app)  # outermost
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_docs(app)
    for router in API_ROUTERS:
        app.include_router(router)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    return app


def start_app(app: FastAPI) -> None:
    """Open and upgrade the database and load the atlas into ``app.state`` (the lifespan)."""
    settings: Settings = app.state.settings
    engine = create_db_engine(settings.database_url, pool_size=settings.db_pool_size)
    upgrade(engine)
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.atlas = _load_atlas()
    app.state.market_index = _open_market_index(app)
    app.state.market_index.on_change = partial(_listings_changed, app.state.visitor_invalidations)
    # The policy search index is built in the background, so the first search finds it ready.
    app.state.policy_index = PolicySearchIndex(
        app.state.atlas, session_factory=app.state.session_factory
    )
    app.state.policy_index.rebuild_in_background()
    # The chain context and the figures of the first pages, computed before users ask.
    app.state.stopping = threading.Event()  # set at shutdown: the warm-up stops early
    app.state.warm_up = threading.Thread(target=_warm_up, args=(app,), name="jjj-warm-up")
    if settings.warm_up:
        app.state.warm_up.start()
    log.info("serving with database %s", engine.url.render_as_string(hide_password=True))


def stop_app(app: FastAPI) -> None:
    """Release the database connections opened by :func:`start_app`."""
    app.state.stopping.set()
    if app.state.warm_up.is_alive():
        app.state.warm_up.join(timeout=30)
    app.state.market_index.wait_for_rebuild(timeout=30)
    app.state.policy_index.wait_for_rebuild(timeout=30)
    app.state.engine.dispose()


def _listings_changed(invalidations: Invalidations) -> None:
    """Visitors' kept listing pages and match lists (kept for the matches' window, see
    :func:`~jingjinji.web.visitor_cache.keep_for_visitors`) are dropped when a listing that
    any of them may show changed or was withdrawn. A new publication drops nothing (the
    index does not call this for it): no page showed it (a visitor asking for it before got
    a 404, which is not kept)."""
    invalidations.drop(_shows_listings)


def _shows_listings(path: str) -> bool:
    """A listing's page or match list (the answers kept for the matches' window)."""
    return path.startswith("/market/listings/") or (
        path.startswith("/api/listings/") and path.endswith("/matches")
    )


def _warm_up(app: FastAPI) -> None:
    """Compute what most pages share (the chain context, the 总览 summary, the region's
    协同成效 figures, the registry's bootstrap draws, the matches of the newest listings)
    once, in the background: the first
    requests find it ready, or wait for this one computation instead of each doing it (see
    :class:`jingjinji.store.ReadCache`).
    """
    from jingjinji.chains.repository import chain_context
    from jingjinji.chains.uncertainty import bootstrap_draws
    from jingjinji.loop.repository import loop_report, overview_summary

    started = time.perf_counter()
    try:
        with app.state.session_factory() as session:
            context = chain_context(session, app.state.atlas)
            overview_summary(session, app.state.atlas, context)
            loop_report(session, app.state.atlas, context)
            bootstrap_draws(context)  # the chain page's status stability
            places = _warm_coverage(session, app.state.atlas, app.state.stopping.is_set)
            warmed = market.warm_matches(
                session, app.state.market_index, stop=app.state.stopping.is_set
            )
    except Exception:  # a failed warm-up only means the first request computes it
        log.warning("warming the caches failed", exc_info=True)
        return
    app.state.warmed_listings = warmed
    log.info(
        "caches warmed in %.1f s (coverage of %d industry places, matches of %d listings)",
        time.perf_counter() - started,
        places,
        len(warmed),
    )


def _coverage_places(atlas: Atlas) -> list[str]:
    """The region, the provinces and the prefecture-level places (the chain map's first
    choices), by key."""
    return ["region", *(place.adcode for place in atlas.places if place.level != "county")]


def _warm_coverage(session: Session, atlas: Atlas, stop: Callable[[], bool]) -> int:
    """Each industry's coverage, with its bootstrap stability, and suggestions in the region
    and in every province and prefecture-level place (what the chain map offers first; the
    stability's 200 resamples make a first computation some 50 ms), until ``stop()``.
    Returns how many."""
    keys = _coverage_places(atlas)
    done = 0
    for industry in atlas.industries:
        for key in keys:
            if stop():
                return done
            coverage_with_suggestions(session, atlas, industry.slug, key)
            done += 1
    return done


#: How often (s) a worker looks for listings changed by any worker while visitors' answers
#: are kept: a kept page showing a changed listing is dropped within about this long.
FOLLOW_SECONDS = 1.0


async def _follow_listings(app: FastAPI, stopping: asyncio.Event) -> None:
    """Apply the listings changed since the last look to this worker's matching index every
    :data:`FOLLOW_SECONDS` (one indexed query when nothing changed), so that its
    :attr:`~jingjinji.market.MarketIndex.on_change` drops the visitors' answers that showed
    them even when no request of this worker asks for matches. Ends when ``stopping`` is
    set, after the look under way (no query runs while the app closes its database)."""
    if app.state.settings.public_refresh_seconds <= 0:
        return
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), FOLLOW_SECONDS)
        if stopping.is_set():
            return
        try:
            await asyncio.to_thread(_catch_up, app)
        except Exception:  # the next look tries again; requests catch up by themselves
            log.warning("following the listings failed", exc_info=True)


def _catch_up(app: FastAPI) -> None:
    index: market.MarketIndex = app.state.market_index
    if index.ready:
        with app.state.session_factory() as session:
            index.catch_up(session)


async def _warm_visitors(app: FastAPI) -> None:
    """After the warm-up, the visitors' answers of the front pages, the chain views and the
    listings it warmed (see :mod:`jingjinji.web.warm_visitors`), when visitors' answers are
    kept; then the worker's long-lived objects are set aside from the garbage collector
    (:func:`~jingjinji.web.heap.freeze_long_lived`) before it reports ready."""
    if not app.state.settings.warm_up:
        return
    await asyncio.to_thread(app.state.warm_up.join)
    if app.state.settings.public_refresh_seconds > 0:
        await _render_visitors_answers(app)
    if not app.state.stopping.is_set():
        await asyncio.to_thread(freeze_long_lived)


async def _render_visitors_answers(app: FastAPI) -> None:
    """Render the visitors' answers the warm-up prepared (a failure only means that the
    first visitor of an address computes it)."""
    try:
        atlas = app.state.atlas
        paths = visitor_paths(
            [industry.slug for industry in atlas.industries],
            _coverage_places(atlas),
            getattr(app.state, "warmed_listings", []),
        )
        await warm_visitor_answers(app, paths)
    except Exception:  # a failed warm-up only means the first visitor computes it
        log.warning("rendering visitors' answers failed", exc_info=True)


def _open_market_index(app: FastAPI) -> market.MarketIndex:
    """The matching index, loaded from disk or built before the first request is served
    (a request never builds it; see :class:`jingjinji.market.MarketIndex`)."""
    settings: Settings = app.state.settings
    index = market.MarketIndex(
        app.state.atlas,
        folder=market.index_folder(settings),
        weights=market.weights_from(settings),
        session_factory=app.state.session_factory,
        stale_seconds=settings.matches_refresh_seconds,
        models=market.model_folder(settings),
    )
    with app.state.session_factory() as session:
        index.open(session)
    return index


def _install_docs(app: FastAPI) -> None:
    """OpenAPI docs at ``/docs`` with Swagger UI served from our own static files (no CDN),
    started by ``static/js/api_docs.js`` so the page has no inline script (CSP)."""

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        openapi_url = app.openapi_url or "/openapi.json"
        context = {"title": "京津冀协同发展平台 API 文档", "openapi_url": openapi_url}
        return render(request, "api_docs.html", context)


def _load_atlas() -> object:
    from jingjinji.atlas import load_atlas

    return load_atlas()
