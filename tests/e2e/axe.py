"""Accessibility checks in the browser with axe-core (npm package, injected into the page)."""

from contextlib import suppress
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


# Finite animations still running (a message fading in): axe would measure the colours of a
# frame in between. Endless ones (a spinner) are left alone.
ANIMATIONS_RUNNING = """() => document.getAnimations().some(
    (a) => a.playState === 'running' && isFinite(a.effect?.getComputedTiming().endTime)
)"""


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, its animations done."""
    # Some admin pages animate for longer (a pulsing status): measured as they are after 2 s.
    with suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => !({ANIMATIONS_RUNNING})()", timeout=2000)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the site's CSP stays on during the tests.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        })"""
    )
    return result["violations"]


def assert_accessible(page) -> None:
    """Fail on serious or critical violations, listing each with the offending elements."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{page.url}:"]
        for violation in blocking:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(
                f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({targets})"
            )
        raise AssertionError("\n".join(lines))
