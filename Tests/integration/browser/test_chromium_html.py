"""The page's own HTML changing patches the live page in place (a keyed morph):
what the user typed, focused, selected and scrolled stays, and so do the nodes that
did not change. A changed script reloads the page instead, as does ?html=reload."""

from selenium.webdriver.common.by import By

from .conftest import html_page

#: An inline script that counts the page's loads in sessionStorage (a reload runs it again).
COUNT_LOADS = "<script>sessionStorage.loads = String(Number(sessionStorage.loads || 0) + 1);</script>"


def form_page(title: str, heading: str, css_class: str, value: str) -> str:
    return html_page(
        f'<h1 id="title" class="{css_class}" title="{heading}">{heading}</h1>\n'
        '<p id="same">This paragraph does not change.</p>\n'
        f'<input id="name" value="{value}">\n'
        '<input id="agree" type="checkbox">\n'
        '<select id="pick"><option>one</option><option>two</option><option>three</option></select>\n'
        '<textarea id="notes">file text</textarea>\n'
        '<div style="height: 3000px">tall</div>\n'
        '<p id="bottom">bottom</p>\n',
        head=COUNT_LOADS).replace("<title>t</title>", f"<title>{title}</title>")


def loads(page) -> list:
    """[loads counted by the inline script, navigation entries of this document]."""
    return page.js("[Number(sessionStorage.loads), performance.getEntriesByType('navigation').length]")


def test_a_body_edit_is_patched_in_place_keeping_typed_values_focus_scroll_and_unchanged_nodes(site, page):
    s = site({"index.html": form_page("one", "first", "a", "from the file")})
    page.open(s.url())
    page.set_marker()
    assert loads(page) == [1, 1]
    page.run("window.__same = document.getElementById('same');")
    page.driver.find_element(By.ID, "agree").click()
    page.run("document.getElementById('pick').selectedIndex = 2;")
    notes = page.driver.find_element(By.ID, "notes")
    notes.clear()
    notes.send_keys("my notes")
    name = page.driver.find_element(By.ID, "name")
    name.clear()
    name.send_keys("typed by me")
    page.run("window.scrollTo(0, 400);")
    page.wait("window.scrollY === 400 && document.activeElement.id === 'name'", what="the scroll and the focus to be set")

    # The heading's text, class and title change, and so does the input's value attribute.
    new_hash = s.change({"index.html": form_page("two", "second", "b", "the file's new value")})

    page.wait("document.getElementById('title').textContent === 'second'", what="the heading patched in place")
    page.wait_hash(new_hash)
    state = page.js("""({
        title: document.title,
        headingClass: document.getElementById('title').className,
        headingTitle: document.getElementById('title').title,
        same: document.getElementById('same') === window.__same,
        value: document.getElementById('name').value,
        valueAttribute: document.getElementById('name').getAttribute('value'),
        focused: document.activeElement.id,
        caret: [document.activeElement.selectionStart, document.activeElement.selectionEnd],
        checked: document.getElementById('agree').checked,
        picked: document.getElementById('pick').selectedIndex,
        notes: document.getElementById('notes').value,
        scrollY: window.scrollY,
        clients: document.querySelectorAll('script[src*="/__hmr/client.js"]').length,
    })""")
    assert state == {
        "title": "two", "headingClass": "b", "headingTitle": "second", "same": True,
        "value": "typed by me", "valueAttribute": "the file's new value", "focused": "name", "caret": [11, 11],
        "checked": True, "picked": 2, "notes": "my notes", "scrollY": 400, "clients": 1,
    }, state
    assert page.has_marker(), "the page reloaded"
    assert loads(page) == [1, 1], "the page reloaded, or its inline script ran again"


def test_a_text_selection_and_what_scripts_made_of_unchanged_parts_survive_a_patch(site, page):
    body = ('<p id="note">{note}</p>\n<p id="quote">Select these words here.</p>\n'
            '<div id="app"></div>\n'
            # A module runs once the page is parsed, as an app's entry does.
            "<script type=module>document.getElementById('app').textContent = 'rendered by a script';"
            " document.body.classList.add('js-ready');</script>\n")
    s = site({"index.html": html_page(body.format(note="before"))})
    page.open(s.url())
    page.set_marker()
    page.run("""
        const text = document.getElementById('quote').firstChild;
        getSelection().setBaseAndExtent(text, 7, text, 18);
    """)
    assert page.js("getSelection().toString()") == "these words"

    s.change({"index.html": html_page(body.format(note="after"))})

    page.wait("document.getElementById('note').textContent === 'after'", what="the paragraph patched in place")
    assert page.js("getSelection().toString()") == "these words"
    assert page.js("document.getElementById('app').textContent") == "rendered by a script"
    assert page.js("document.body.className") == "js-ready"
    assert page.has_marker(), "the page reloaded"


def test_a_focused_input_wrapped_in_a_new_label_is_moved_with_its_value_focus_and_caret(site, page):
    s = site({"index.html": html_page('<form><input id="q"><button>go</button></form>')})
    page.open(s.url())
    page.set_marker()
    page.run("window.__q = document.getElementById('q');")
    field = page.driver.find_element(By.ID, "q")
    field.send_keys("hello world")
    page.run("window.__q.setSelectionRange(2, 5);")

    s.change({"index.html": html_page('<form><label>Search <input id="q"></label><button>go</button></form>')})

    page.wait("document.querySelector('label') !== null", what="the new label patched in")
    assert page.js("""[document.querySelector('label > input') === window.__q, window.__q.value,
        document.activeElement === window.__q, window.__q.selectionStart, window.__q.selectionEnd]""") == \
        [True, "hello world", True, 2, 5]
    assert page.has_marker(), "the page reloaded"


def test_a_changed_head_script_reloads_the_page(site, page):
    s = site({"index.html": html_page("<h1 id='title'>one</h1>", head="<script>window.__version = 1;</script>")})
    page.open(s.url())
    page.set_marker()

    new_hash = s.change({"index.html": html_page("<h1 id='title'>two</h1>", head="<script>window.__version = 2;</script>")})

    page.wait("window.__marker === undefined && window.__version === 2 "
              "&& document.getElementById('title').textContent === 'two'", what="a reload running the new script")
    page.wait_connected()
    page.wait_hash(new_hash)


def test_a_new_script_in_the_body_reloads_the_page_rather_than_leave_it_unrun(site, page):
    s = site({"index.html": html_page("<h1>one</h1>")})
    page.open(s.url())
    page.set_marker()

    s.change({"index.html": html_page("<h1>one</h1><script>window.__ran = true;</script>")})

    page.wait("window.__marker === undefined && window.__ran === true", what="a reload running the new script")


def test_with_html_reload_a_body_edit_reloads_the_page(site, page):
    def index(heading: str) -> str:
        # The page's own tag comes first, so its copy of the client (with ?html=reload) is the one that runs.
        return html_page(f"<h1 id='title'>{heading}</h1>", head=s.client_tag("?html=reload"))

    s = site({"index.html": "<!doctype html><p>placeholder</p>\n"})  # The tag needs the port: written once it runs.
    s.change({"index.html": index("first")})
    page.open(s.url())
    page.wait("document.getElementById('title').textContent === 'first'")
    page.set_marker()

    new_hash = s.change({"index.html": index("second")})

    page.wait("window.__marker === undefined && document.getElementById('title') "
              "&& document.getElementById('title').textContent === 'second'", what="a reload showing the new HTML")
    page.wait_connected()
    page.wait_hash(new_hash)
