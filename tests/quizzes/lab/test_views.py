"""The lab pages: the index by topic, a scenario's form and run, errors, htmx partials."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cnncore.scenarios import TOPICS, all_scenarios, get, run
from quizzes.lab.form import SEED_PARAM
from quizzes.lab.numbers import exact
from quizzes.lab.query import MAX_QUERY_LENGTH, canonical_query

pytestmark = pytest.mark.django_db
SCENARIOS = [s.name for s in all_scenarios()]


def page(name: str, **query) -> str:
    url = reverse("lab_scenario", args=[name])
    return url + ("?" + urlencode(query) if query else "")


class Elements(HTMLParser):
    """Collect every start tag with its attributes (enough to check ids, aria and values)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def by_id(self, element_id: str) -> dict:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == element_id)

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]


def test_the_index_lists_every_scenario_under_its_topic(client):
    response = client.get(reverse("lab_index"))
    assert response.status_code == 200
    html = response.content.decode()
    for scenario in all_scenarios():
        assert reverse("lab_scenario", args=[scenario.name]) in html
        assert scenario.summary.replace("'", "&#x27;") in html
    positions = [html.index(f'id="topic-{slug}"') for slug in TOPICS if f'id="topic-{slug}"' in html]
    assert positions == sorted(positions), "topics appear in teaching order"


def test_the_index_shows_topic_titles_of_the_synced_topics(client, synced):
    html = client.get(reverse("lab_index")).content.decode()
    assert "Convolution arithmetic" in html  # the title in the test content's topics.yml, synced
    assert "Backprop fundamentals" in html  # a topic it lacks falls back to its slug


def test_the_nav_links_to_the_lab_and_marks_it_current(client):
    html = client.get(reverse("lab_index")).content.decode()
    assert re.search(r'<a href="/lab/"\s+aria-current="page">Lab</a>', html)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_page_renders_with_defaults(client, name):
    response = client.get(page(name, phase="all"))  # every phase open, every step in the page
    assert response.status_code == 200
    html = response.content.decode()
    scenario = get(name)
    assert scenario.title.replace("'", "&#x27;") in html
    assert 'id="lab-key-results"' in html
    for param in scenario.params:
        assert f'name="{param.name}"' in html
    assert 'name="seed"' in html
    trace = run(name)
    for step in trace.steps:
        assert f'id="step-{step.index}"' in html
    for result in trace.results.values():
        assert f"<code>{result.name}</code>" in html
    if trace.series:
        assert html.count('class="chart"') == len({s.chart for s in trace.series.values()})
    ids = Elements(html).ids()
    assert len(ids) == len(set(ids)), "element ids are unique"


def test_the_form_is_built_from_the_schema_with_bounds_help_and_labels(client):
    elements = Elements(client.get(page("conv-window")).content.decode())
    html = client.get(page("conv-window")).content.decode()
    field = elements.by_id("lab-field-kernel_size")
    assert field["type"] == "number" and field["min"] == "1" and field["max"] == "5" and field["step"] == "1"
    assert field["value"] == "3"
    assert field["aria-describedby"] == "lab-help-kernel_size lab-error-kernel_size"
    assert '<label for="lab-field-kernel_size">' in html
    assert "Height and width of the kernel." in html and "1 to 5; default 3." in html
    select = elements.by_id("lab-field-integer_values")
    assert select["name"] == "integer_values"
    seed = elements.by_id("lab-field-seed")
    assert seed["min"] == "0" and seed["max"] == str(int(SEED_PARAM.max))
    form = next(attrs for tag, attrs in elements.tags if tag == "form" and "hx-get" in attrs)
    assert form["hx-get"] == reverse("lab_scenario", args=["conv-window"])
    assert form["hx-target"] == "#lab-results"
    assert form["hx-push-url"] == "true"
    assert form["hx-trigger"] == "change delay:300ms, submit"
    assert form["method"] == "get" and form["action"] == form["hx-get"]


def test_a_float_field_accepts_any_step(client):
    field = Elements(client.get(page("training-iteration")).content.decode()).by_id("lab-field-learning_rate")
    assert field["step"] == "any" and field["min"] == "0.0001" and field["max"] == "10"


def test_the_page_shows_the_numbers_of_the_run_in_the_url(client):
    html = client.get(page("training-iteration", learning_rate=0.5, label="cat", filters=2, seed=3)).content.decode()
    trace = run("training-iteration", {"learning_rate": 0.5, "label": "cat", "filters": 2}, seed=3)
    assert exact(trace.results["loss_after"].value) in html
    assert exact(trace.results["updated_weight"].value) in html
    assert "Seed <strong>3</strong>" in html


def test_the_permalink_and_json_link_reproduce_the_run(client):
    query = {"input_size": 6, "kernel_size": 3, "stride": 2, "padding": 1, "row": 1, "col": 2,
             "integer_values": True, "in_channels": 1}
    html = client.get(page("conv-window", **query, seed=42)).content.decode()
    values = get("conv-window").validate(query)
    canonical = canonical_query(values, 42)
    permalink = reverse("lab_scenario", args=["conv-window"]) + "?" + canonical
    assert permalink.replace("&", "&amp;") in html
    assert (reverse("lab_api_scenario", args=["conv-window"]) + "?" + canonical).replace("&", "&amp;") in html
    again = client.get(permalink).content.decode()
    value = exact(run("conv-window", query, seed=42).results["value"].value)
    assert f"<strong class=\"lab-arith-value\">{value}</strong>" in again


def test_the_conv_window_page_shows_window_kernel_products_sum_and_bias(client):
    html = client.get(page("conv-window", seed=1)).content.decode()
    trace = run("conv-window", seed=1)
    assert "⊙" in html and "Σ products" in html
    assert 'caption>window</caption>' in html and 'caption>kernel</caption>' in html
    assert 'caption>products</caption>' in html
    terms = " + ".join(exact(v) if v >= 0 else f"({exact(v)})" for v in trace.results["products"].value.ravel())
    assert terms in html
    assert 'class="marked"' in html  # the window outlined in the padded input


def test_large_arrays_are_heatmaps_with_text_alternatives(client):
    html = client.get(page("training-iteration", phase="all")).content.decode()
    assert html.count('role="img"') >= 10
    assert re.search(r'aria-label="Heatmap of output \[0, 0, :, :\]: 32 by 32 values, from -?[\d.]+ to', html)
    assert 'class="heat-legend"' in html


def test_a_repeated_array_links_to_where_its_values_were_shown(client):
    html = client.get(page("training-iteration", phase="all")).content.decode()
    assert re.search(r'Same values as <a href="#step-1-output">output</a>', html)


def test_large_values_tables_load_on_demand_from_a_link(client):
    html = client.get(page("training-iteration", phase="all")).content.decode()
    link = re.search(r'hx-get="(/lab/training-iteration/values/1/output/\?[^"]+)"', html).group(1)
    link = link.replace("&amp;", "&")
    partial = client.get(link, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert partial.content.decode().count("<table") == 4
    full = client.get(link)
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert "Back to the run" in full.content.decode()


def test_the_values_of_a_missing_step_or_array_are_a_404(client):
    assert client.get(reverse("lab_values", args=["training-iteration", 99, "output"])).status_code == 404
    assert client.get(reverse("lab_values", args=["training-iteration", 1, "nothing"])).status_code == 404


def test_an_out_of_bounds_value_is_a_400_shown_next_to_its_field(client):
    response = client.get(page("conv-window", kernel_size=9, stride=2, seed=5))
    assert response.status_code == 400
    html = response.content.decode()
    elements = Elements(html)
    field = elements.by_id("lab-field-kernel_size")
    assert field["aria-invalid"] == "true"
    assert field["value"] == "9", "the form keeps the student's value"
    assert elements.by_id("lab-field-stride")["value"] == "2"
    assert elements.by_id("lab-field-seed")["value"] == "5"
    assert re.search(r'<p class="lab-error" id="lab-error-kernel_size">kernel_size must be between 1 and 5, got 9</p>', html)
    assert 'role="alert"' in html and 'href="#lab-field-kernel_size"' in html
    assert "aria-invalid" not in str(elements.by_id("lab-field-stride"))


def test_every_bad_field_is_marked_at_once(client):
    elements = Elements(client.get(page("conv-window", kernel_size=9, stride=0)).content.decode())
    assert elements.by_id("lab-field-kernel_size")["aria-invalid"] == "true"
    assert elements.by_id("lab-field-stride")["aria-invalid"] == "true"


def test_a_malformed_value_is_kept_in_a_select(client):
    response = client.get(page("training-iteration", label="horse"))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<option value="horse" selected>horse (not valid)</option>' in html
    assert "label must be one of dog, cat, bird, got &#x27;horse&#x27;" in html


def test_an_unknown_parameter_is_a_400_listed_above_the_form_fields(client):
    response = client.get(page("conv-window", colour="red"))
    assert response.status_code == 400
    assert "conv-window has no parameter &#x27;colour&#x27;" in response.content.decode()


def test_a_repeated_parameter_or_a_too_long_query_is_a_400(client):
    url = reverse("lab_scenario", args=["conv-window"])
    assert client.get(url + "?stride=1&stride=2").status_code == 400
    response = client.get(url + "?stride=1&x=" + "a" * MAX_QUERY_LENGTH)
    assert response.status_code == 400
    assert str(MAX_QUERY_LENGTH) in response.content.decode()


def test_an_unknown_scenario_is_the_sites_404_page(client):
    response = client.get(page("no-such-scenario"))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_other_methods_than_get_are_405(client):
    assert client.post(page("conv-window")).status_code == 405
    assert client.post(reverse("lab_index")).status_code == 405


def test_an_htmx_request_gets_only_the_results_and_the_field_errors(client):
    response = client.get(page("conv-window", stride=2), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert 'class="lab-run"' in html
    assert 'hx-swap-oob="innerHTML:#lab-error-stride"' in html
    assert 'hx-swap-oob="innerHTML:#lab-status">Recomputed with' in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_request_with_a_bad_value_gets_a_400_partial_with_the_error(client):
    response = client.get(page("conv-window", stride=9), headers={"HX-Request": "true"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-invalid="stride"' in html
    assert re.search(r'hx-swap-oob="innerHTML:#lab-error-stride">stride must be between', html)


def test_an_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(page("conv-window"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_the_new_seed_link_keeps_the_parameters(client):
    html = client.get(page("conv-output-size", stride=2)).content.decode()
    link = re.search(r'id="lab-new-seed" class="button button-secondary" href="([^"]+)"', html).group(1)
    assert "stride=2" in link and re.search(r"seed=\d+", link)


# -- the lab as a story: summary first, phases folded, heavy ones loaded when opened -------------

PAGE_SIZE_LIMIT = 200_000


def test_the_training_iteration_page_at_defaults_is_under_200_kb(client):
    assert len(client.get(page("training-iteration")).content) < PAGE_SIZE_LIMIT


def test_the_run_starts_with_a_summary_of_what_changed(client):
    html = client.get(page("training-iteration")).content.decode()
    trace = run("training-iteration")
    summary = html[html.index('id="lab-summary"'):html.index("</section>", html.index('id="lab-summary"'))]
    assert trace.results["conv_weight_name"].value in summary and trace.results["weight_name"].value in summary
    assert "See a learning rate that is too high" in summary
    assert html.index('id="lab-summary"') < html.index('class="lab-contents"')


def test_phases_are_closed_details_except_the_one_asked_for(client):
    html = client.get(page("training-iteration")).content.decode()
    backward = re.search(r'<details class="lab-phase-box lab-phase lab-phase-backward" id="(phase-\d+)"[^>]*>', html)
    assert " open" not in backward.group(0) and "hx-get=" in backward.group(0)
    asked = client.get(page("training-iteration", phase="backward")).content.decode()
    opened = re.search(r'<details class="lab-phase-box lab-phase lab-phase-backward"[^>]*>', asked).group(0)
    assert " open" in opened and 'id="step-11-dweight"' in asked


def test_a_closed_phase_loads_its_body_alone(client):
    html = client.get(page("training-iteration")).content.decode()
    link = re.search(r'lab-phase-forward" id="phase-\d+"[^>]* hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    part = client.get(link, headers={"HX-Request": "true"})
    assert part.status_code == 200
    body = part.content.decode()
    assert "<html" not in body and 'id="step-1"' in body and 'id="lab-summary"' not in body


def test_an_unknown_phase_opens_nothing_and_is_no_error(client):
    assert client.get(page("training-iteration", phase="nonsense")).status_code == 200


@pytest.mark.parametrize("name", SCENARIOS)
def test_lab_pages_carry_no_inline_script(client, name):
    html = client.get(page(name)).content.decode()
    assert "hx-on" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "js/lab.js" in html


def test_lab_tables_name_the_classes_instead_of_their_indices(client):
    html = client.get(page("training-iteration", phase="loss")).content.decode()
    loss = html[html.index("lab-phase-loss"):]
    loss = loss[:loss.index("</details>")]
    assert '<th scope="col">dog</th><th scope="col">cat</th><th scope="col">bird</th>' in loss
    assert '<th scope="col">0</th><th scope="col">1</th><th scope="col">2</th>' not in loss
    jacobian = html[html.index('id="step-16-softmax_jacobian"'):]
    assert '<th scope="row">cat</th>' in jacobian[:jacobian.index("</figure>")]


def test_the_chain_rule_of_the_filter_weight_is_a_numbered_list(client):
    html = client.get(page("training-iteration")).content.decode()
    chain = html[html.index('class="lab-chain"'):]
    chain = chain[:chain.index("</ol>")]
    assert chain.count("<li>") == 7 and "softmax Jacobian" in chain


def test_the_last_layer_heatmaps_name_a_row_per_class(client):
    html = client.get(page("training-iteration", phase="backward")).content.decode()
    assert "<figcaption>dog [0, :]</figcaption>" in html and "<figcaption>bird [2, :]</figcaption>" in html
