"""`--serve DIR`: static files with the client injected into HTML, never outside the root."""

import os

import pytest

from conftest import http_request, write

TAG = b'<script src="/__hmr/client.js"></script>'


@pytest.fixture
def site(hmrd, tmp_path):
    root = tmp_path / "site"
    write(root / "index.html", "<html><body><h1>home</h1></body></html>")
    write(root / "docs/index.html", "<html><body>docs</body></html>")
    write(root / "app.css", "body { color: red }")
    write(root / ".env", "SECRET=1")
    write(root / ".git/config", "[core]")
    write(tmp_path / "outside.txt", "outside the root")
    os.symlink(tmp_path / "outside.txt", root / "escape.txt")
    os.symlink(tmp_path, root / "escape-dir")
    os.symlink(root / "app.css", root / "alias.css")
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    return daemon


def test_html_gets_the_client_script_injected_before_the_closing_body(site):
    response = http_request(site.port, path="/index.html")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.body == b"<html><body><h1>home</h1>" + TAG + b"</body></html>"
    assert int(response.headers["content-length"]) == len(response.body)


def test_other_files_are_served_unchanged(site):
    response = http_request(site.port, path="/app.css")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.body == b"body { color: red }"


def test_the_root_serves_index_html(site):
    response = http_request(site.port, path="/")
    assert response.status == 200
    assert TAG in response.body and b"home" in response.body


def test_a_folder_without_a_slash_redirects_and_with_one_serves_its_index(site):
    redirect = http_request(site.port, path="/docs?x=1")
    assert redirect.status == 301
    assert redirect.headers["location"] == "/docs/?x=1"
    page = http_request(site.port, path="/docs/")
    assert page.status == 200
    assert page.body == b"<html><body>docs" + TAG + b"</body></html>"


@pytest.mark.parametrize("target", ["/../outside.txt", "/%2e%2e/outside.txt", "/docs/%2E%2E/%2e%2e/outside.txt"])
def test_a_path_out_of_the_root_gets_400(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 400
    assert b"outside the root" not in response.body


@pytest.mark.parametrize("target", ["/escape.txt", "/escape-dir/outside.txt"])
def test_a_symlink_pointing_out_of_the_root_gets_404(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 404
    assert b"outside the root" not in response.body


def test_a_symlink_inside_the_root_is_served(site):
    assert http_request(site.port, path="/alias.css").body == b"body { color: red }"


@pytest.mark.parametrize("target", ["/.env", "/.git/config", "/%2eenv"])
def test_dot_files_get_404(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 404
    assert b"SECRET" not in response.body and b"[core]" not in response.body


def test_head_gets_the_headers_without_the_body(site):
    get = http_request(site.port, path="/index.html")
    head = http_request(site.port, path="/index.html", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_the_serve_dir_is_the_module_map(site):
    with site.stream() as client:
        modules = client.wait_for("sync")["modules"]
    assert "index.html" in modules and "docs/index.html" in modules and "app.css" in modules
    assert ".env" not in modules and ".git/config" not in modules


def test_an_encoded_file_name_and_a_query_string_are_handled(hmrd, tmp_path):
    write(tmp_path / "site/my file.txt", "spaced")
    daemon = hmrd("--watch", "site", "--serve", "site")
    assert http_request(daemon.port, path="/my%20file.txt").body == b"spaced"
    assert http_request(daemon.port, path="/my%20file.txt?v=123").body == b"spaced"
