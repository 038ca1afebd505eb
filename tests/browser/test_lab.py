"""The lab in a browser: changing a value recomputes in place (htmx), by mouse or keyboard."""

import re

from playwright.sync_api import expect

from cnncore.scenarios import all_scenarios, run
from quizzes.lab.numbers import exact


def result(page, name: str):
    """Return the key result ``name``'s value element."""
    return page.locator(".lab-result", has=page.locator(f"code:text-is('{name}')")).locator("dd")


def test_changing_the_learning_rate_recomputes_in_place_and_updates_the_url(page, screenshot):
    page.goto("/lab/training-iteration/")
    expect(result(page, "loss_after")).to_have_text(exact(run("training-iteration").results["loss_after"].value))
    page.evaluate("window.notReloaded = true")
    screenshot(page, "lab-training-iteration")

    page.get_by_label("Learning rate").fill("0.1")
    page.get_by_label("Learning rate").press("Tab")

    changed = run("training-iteration", {"learning_rate": 0.1})
    expect(result(page, "loss_after")).to_have_text(exact(changed.results["loss_after"].value))
    expect(result(page, "updated_weight")).to_have_text(exact(changed.results["updated_weight"].value))
    expect(page).to_have_url(re.compile(
        r"/lab/training-iteration/\?learning_rate=0\.1&label=dog&filters=4&loss=mse&iterations=1&seed=0$"))
    assert page.evaluate("window.notReloaded") is True, "htmx swapped the results; the page did not reload"
    expect(page.locator("#lab-status")).to_contain_text("Recomputed with learning_rate = 0.1")
    screenshot(page, "lab-training-iteration-learning-rate-0.1")


def test_a_bad_value_is_shown_next_to_its_field_and_cleared_when_fixed(page, screenshot):
    page.goto("/lab/training-iteration/")
    field = page.get_by_label("Learning rate")
    field.fill("99")
    field.press("Tab")
    expect(page.locator("#lab-error-learning_rate")).to_have_text("learning_rate must be between 0.0001 and 10, got 99")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("These parameters cannot run")
    screenshot(page, "lab-training-iteration-error")

    field.fill("0.02")
    field.press("Tab")
    expect(page.locator("#lab-error-learning_rate")).to_have_text("")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    expect(result(page, "learning_rate")).to_have_text("0.02")


def test_keyboard_tab_to_a_field_type_and_submit_with_enter(page):
    page.goto("/lab/conv-window/")
    page.locator("#main").focus()
    for _ in range(40):  # tab forward until the stride field has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "lab-field-stride":
            break
    assert page.evaluate("document.activeElement.id") == "lab-field-stride"
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"stride=2"))
    value = exact(run("conv-window", {"stride": 2}).results["value"].value)
    expect(page.locator(".lab-arith-value")).to_have_text(value)
    expect(page.locator("#lab-summary")).to_be_focused()  # after a recompute: what changed


def test_new_seed_changes_the_seed_in_the_form_and_the_url(page):
    page.goto("/lab/conv-window/")
    page.get_by_role("link", name="New seed").click()
    expect(page).to_have_url(re.compile(r"seed=(?!0$)\d+$"))
    seed = int(re.search(r"seed=(\d+)$", page.url).group(1))
    expect(page.get_by_label("Seed")).to_have_value(str(seed))
    expect(page.locator(".lab-run-params strong").first).to_have_text(str(seed))


def test_show_values_loads_the_numbers_of_a_large_heatmap(page):
    page.goto("/lab/training-iteration/")
    page.locator("details.lab-phase-forward > summary").click()
    details = page.locator("#step-1-output details.heat-values")
    details.locator("summary").click()
    expect(details.locator("table")).to_have_count(4)


def test_the_lab_shows_a_rising_loss_curve_at_the_linked_learning_rate(page, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/lab/training-iteration/")
    expect(page.locator("#lab-summary")).to_contain_text("What this run changed")
    screenshot(page, "lab-story-1280")
    page.get_by_role("link", name="See a learning rate that is too high").click()
    expect(page).to_have_url(re.compile(r"learning_rate=0\.5&.*iterations=30"))
    curve = run("training-iteration", {"learning_rate": 0.5, "iterations": 30}).results["loss_curve"].value
    assert curve[-1] > curve[0]
    chart = page.locator("#lab-curves figure.lab-chart").first
    expect(chart).to_be_visible()
    chart.locator("summary").click()
    rows = chart.locator("table tbody tr")
    expect(rows).to_have_count(31)
    first = float(rows.nth(0).locator("td").last.inner_text())
    last = float(rows.nth(30).locator("td").last.inner_text())
    assert last > first, "the loss curve rises at the learning rate the page links to"
    expect(page.locator("#lab-curves")).to_contain_text("loss")
    screenshot(page, "lab-overshoot-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/lab/training-iteration/")
    screenshot(page, "lab-story-390")
    page.goto("/lab/training-iteration/?phase=all&learning_rate=0.5&iterations=30")
    assert wider_than_the_viewport_outside_a_scroll_box(page) == []


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let up = el.parentElement, scrolls = false;
    while (up) {
      const style = getComputedStyle(up);
      if (['auto', 'scroll'].includes(style.overflowX) && up.getBoundingClientRect().right <= width + 1
          && style.backgroundImage.includes('gradient')) { scrolls = true; break; }
      up = up.parentElement;
    }
    if (!scrolls) found.push(el.tagName + '.' + el.className);
  }
  return found.slice(0, 10);
}"""


def wider_than_the_viewport_outside_a_scroll_box(page):
    """Elements wider than the viewport that are not inside a scroll box with a shadow cue."""
    return page.evaluate(OVERFLOW)


def test_every_lab_table_and_heatmap_fits_or_scrolls_with_a_cue_on_a_phone(page):
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for name in [s.name for s in all_scenarios()]:
            url = f"/lab/{name}/?phase=all"
            page.goto(url)
            assert wider_than_the_viewport_outside_a_scroll_box(page) == [], (width, url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_recompute_keeps_the_open_phase_open(page):
    page.goto("/lab/training-iteration/")
    page.locator("details.lab-phase-backward > summary").click()
    expect(page.locator("#step-11-dweight")).to_be_attached()
    page.get_by_label("Learning rate").fill("0.2")
    page.get_by_role("button", name="Recompute").click()
    expect(page).to_have_url(re.compile(r"learning_rate=0\.2.*phase=backward"))
    expect(page.locator("details.lab-phase-backward")).to_have_attribute("open", "")
    expect(page.locator("#lab-summary")).to_be_focused()
