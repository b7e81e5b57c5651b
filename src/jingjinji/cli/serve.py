"""``jjj serve``: check the database, then serve the platform with Uvicorn."""

from __future__ import annotations

import typer
import uvicorn
from sqlalchemy import func, select

from jingjinji.cli._common import build_market_index, console, load_settings, open_database
from jingjinji.store import make_session_factory
from jingjinji.store.models import User
from jingjinji.web.serving import NoDelayHTTPProtocol


def serve(
    host: str = typer.Option(None, help="Address to listen on (default: JJJ_HOST)."),
    port: int = typer.Option(None, help="Port to listen on (default: JJJ_PORT)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
    workers: int = typer.Option(
        None, min=1, max=64, help="Worker processes (default: JJJ_WORKERS)."
    ),
) -> None:
    """Serve the platform (migrations are applied first)."""
    settings = load_settings()
    engine = open_database(settings)
    with make_session_factory(engine)() as session:
        users = session.scalar(select(func.count()).select_from(User)) or 0
    if users == 0:
        console.print(
            "[yellow]尚无用户账户 / no user accounts yet.[/yellow] Create the first admin:\n"
            "  jjj orgs create --name '京津冀协同发展平台管理组' --kind government\n"
            "  jjj users create --org '京津冀协同发展平台管理组' --role admin --username admin\n"
            "(the password is asked for; there is no default password)",
            soft_wrap=True,
        )
    if (workers or settings.workers) > 1:
        # Each worker process loads the saved index: build it once here instead of N times.
        count = build_market_index(settings, engine, rebuild=False)
        console.print(f"matching index ready: {count:,} published listings")
    engine.dispose()
    bind_host = host or settings.host
    bind_port = port or settings.port
    console.print(f"serving on http://{bind_host}:{bind_port}")
    uvicorn.run(
        "jingjinji.web.app:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        reload=reload,
        workers=None if reload else (workers or settings.workers),
        # A worker loads the atlas and the matching index before it answers; on a busy
        # machine that takes longer than Uvicorn's default 5 s health check allows.
        timeout_worker_healthcheck=120,
        # The client address comes from the app (X-Forwarded-For only from JJJ_TRUSTED_PROXIES);
        # Uvicorn would otherwise believe the header from any loopback peer.
        proxy_headers=False,
        # Uvicorn's protocol with TCP_NODELAY on every connection (see jingjinji.web.serving).
        http=NoDelayHTTPProtocol,
        log_level=settings.log_level,
    )
