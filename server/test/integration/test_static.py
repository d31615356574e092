"""Static files (PRODUCT.md §6, issue 15): precompressed copies chosen by Accept-Encoding, one
strong ETag per representation, If-None-Match, caching, and the security headers on every answer.
The copies are made here as the web build makes them (web/scripts/compress-dist.mjs); the last
tests serve the real build, web/dist, when there is one."""

import gzip
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from test_edge import RawReader, assert_security_headers, connect, raw_request

try:
    import brotli  # Debian: python3-brotli
except ImportError:  # pragma: no cover - then the .br copy is made by Node and checked byte for byte
    brotli = None

ASSET = "/assets/app-3f9a1c.js"
JS = ("export function hello(name) { return `hello, ${name}`; }\n" * 300).encode()
HTML = (b"<!doctype html><html><head><title>slotlock</title>"
        b'<script type="module" src="/assets/app-3f9a1c.js"></script></head><body>'
        + b"<div id=root></div>" * 40 + b"</body></html>")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
IMMUTABLE = "public, max-age=31536000, immutable"


def br_compress(data):
    if brotli:
        return brotli.compress(data, quality=11)
    return subprocess.run(["node", "-e", "process.stdout.write(require('zlib').brotliCompressSync("
                           "require('fs').readFileSync(0)))"], input=data, capture_output=True, check=True).stdout


def precompress(path):
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9))
    path.with_name(path.name + ".br").write_bytes(br_compress(path.read_bytes()))


def decode(body, encoding, copy_path=None):
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        if brotli:
            return brotli.decompress(body)
        assert body == copy_path.read_bytes(), "not the .br copy"
        return None
    assert encoding is None, encoding
    return body


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(HTML)
    (root / ASSET.lstrip("/")).write_bytes(JS)
    (root / "assets" / "logo-9b2e.png").write_bytes(PNG)  # compressed already: no copies
    (root / "assets" / "app-3f9a1c.js.map").write_text('{"version":3,"sources":["secret.ts"]}')
    precompress(root / ASSET.lstrip("/"))
    precompress(root / "index.html")
    return root


@pytest.fixture
def srv(server_factory, dist):
    return server_factory("--static", str(dist))


def get(srv, path, accept_encoding=None, method="GET", extra=""):
    """One request on its own connection, headers exactly as given: no Accept-Encoding unless
    `accept_encoding` is a string. Returns (status, lower-case headers, body)."""
    if accept_encoding is not None:
        extra = f"Accept-Encoding: {accept_encoding}\r\n" + extra
    with connect(srv) as s:
        s.sendall(raw_request(method, path, extra=extra + "Connection: close\r\n"))
        return RawReader(s).response(head=method == "HEAD")


# -- Accept-Encoding ---------------------------------------------------------------------------------

CHOICES = [
    (None, None),  # no header: the file as it is
    ("", None),
    ("br", "br"),
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("GZIP", "gzip"),
    ("x-gzip", "gzip"),
    ("Br;Q=0.9", "br"),
    ("identity", None),
    ("deflate", None),
    ("br;q=0, gzip;q=0", None),
    ("br;q=0, gzip", "gzip"),
    ("br ; q=0 ,gzip ; q=0.8", "gzip"),
    ("gzip;q=1.0, br;q=0.5", "gzip"),
    ("gzip;q=0.5, br;q=0.500", "br"),  # a tie goes to br
    ("br;q=0.001", "br"),  # identity, unnamed, comes last
    ("gzip;q=0.5, identity", None),  # identity (q=1) is preferred
    ("*", "br"),
    ("*, br;q=0", "gzip"),
    ("*;q=0", None),  # even identity refused: sent anyway, a 406 helps no one
    ("br;q=0, gzip;q=0, identity;q=0", None),
    ("br;q=2, gzip;q=abc", None),  # malformed elements say nothing
    ("br;q=0.1234", None),
]


@pytest.mark.parametrize("accept,expected", CHOICES)
def test_the_coding_follows_accept_encoding(srv, dist, accept, expected):
    status, headers, body = get(srv, ASSET, accept)
    assert status == 200
    assert headers.get("content-encoding") == expected, accept
    assert headers["content-type"] == "text/javascript; charset=utf-8"
    assert headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == IMMUTABLE
    assert int(headers["content-length"]) == len(body)
    suffix = {"br": ".br", "gzip": ".gz", None: ""}[expected]
    copy = dist / (ASSET.lstrip("/") + suffix)
    assert body == copy.read_bytes()
    decoded = decode(body, expected, copy)
    assert decoded in (JS, None)
    if expected:
        assert len(body) < len(JS) / 5, (expected, len(body))


def test_several_accept_encoding_lines_are_one_list(srv):
    status, headers, _ = get(srv, ASSET, "identity;q=0.5", extra="Accept-Encoding: gzip\r\n")
    assert (status, headers.get("content-encoding")) == (200, "gzip")


def test_each_representation_has_its_own_strong_etag(srv):
    tags = {}
    for accept in ("br", "gzip", "identity"):
        status, headers, _ = get(srv, ASSET, accept)
        assert status == 200
        tag = headers["etag"]
        assert re.fullmatch(r'"[^"]+"', tag), tag  # strong: no W/
        assert get(srv, ASSET, accept)[1]["etag"] == tag, "the tag changes between requests"
        tags[accept] = tag
    assert len(set(tags.values())) == 3, tags


def test_a_file_without_copies_has_no_vary(srv, dist):
    status, headers, body = get(srv, "/assets/logo-9b2e.png", "br, gzip")
    assert (status, body) == (200, PNG)
    assert "content-encoding" not in headers and "vary" not in headers
    assert headers["content-type"] == "image/png"
    assert headers["cache-control"] == IMMUTABLE
    assert headers["etag"]


def test_the_app_page_and_client_routes_are_compressed_too(srv):
    for path in ("/", "/index.html", "/appointments/42"):
        status, headers, body = get(srv, path, "gzip, br")
        assert status == 200, path
        assert headers["content-encoding"] == "br", path
        assert headers["content-type"] == "text/html; charset=utf-8", path
        assert headers["cache-control"] == "no-cache", path
        assert headers["vary"] == "Accept-Encoding", path
        assert decode(body, "br") in (HTML, None)
        status, headers, body = get(srv, path, "gzip")
        assert gzip.decompress(body) == HTML


@pytest.mark.parametrize("path", [ASSET + ".gz", ASSET + ".br", "/index.html.gz", "/index.html.br",
                                  "/assets/app-3f9a1c.js.map", "/assets/nothing.gz"])
def test_copies_and_source_maps_are_not_served_by_their_own_names(srv, path):
    status, headers, body = get(srv, path, "br, gzip")
    assert status == 404, path
    assert headers["content-type"].startswith("application/json"), path
    assert b"secret.ts" not in body and not body.startswith(b"\x1f\x8b")
    assert_security_headers(headers, f"404 for {path}")


# -- HEAD ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", ["br", "gzip", "identity"])
def test_head_has_the_get_headers_and_no_body(srv, accept):
    with connect(srv) as s:
        reader = RawReader(s)
        extra = f"Accept-Encoding: {accept}\r\n"
        s.sendall(raw_request("HEAD", ASSET, extra=extra) + raw_request("GET", ASSET, extra=extra))
        head_status, head, _ = reader.response(head=True)
        get_status, got, body = reader.response()
        assert head_status == get_status == 200
        for name in ("content-length", "content-encoding", "content-type", "etag", "vary", "cache-control"):
            assert head.get(name) == got.get(name), name
        assert int(head["content-length"]) == len(body)
        s.sendall(raw_request("GET", "/healthz"))
        assert reader.response()[2] == b'{"status":"ok"}', "a body followed the HEAD answer"


# -- If-None-Match ------------------------------------------------------------------------------------

def etag(srv, path, accept):
    return get(srv, path, accept)[1]["etag"]


def test_a_matching_etag_gets_304_without_a_body(srv):
    tag = etag(srv, ASSET, "br")
    with connect(srv) as s:
        reader = RawReader(s)
        s.sendall(raw_request("GET", ASSET, extra=f"Accept-Encoding: br\r\nIf-None-Match: {tag}\r\n"))
        status, headers, _ = reader.response(head=True)
        assert status == 304
        assert headers["etag"] == tag
        assert headers["cache-control"] == IMMUTABLE
        assert headers["vary"] == "Accept-Encoding"
        assert "content-encoding" not in headers and "content-type" not in headers
        assert headers.get("content-length", "0") == "0"
        assert_security_headers(headers, "304")
        # Nothing follows the 304 on the connection: the next answer starts right after it.
        s.sendall(raw_request("GET", "/healthz"))
        status, _, body = reader.response()
        assert (status, body) == (200, b'{"status":"ok"}'), "a body followed the 304"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("header", [
    "{tag}",
    "W/{tag}",
    '"nope", {tag}',
    '"nope",W/{tag} , "other"',
    "*",
])
def test_if_none_match_lists_weak_tags_and_star(srv, method, header):
    tag = etag(srv, ASSET, "gzip")
    status, headers, body = get(srv, ASSET, "gzip", method=method,
                                extra=f"If-None-Match: {header.format(tag=tag)}\r\n")
    assert (status, body) == (304, b""), header
    assert headers["etag"] == tag


@pytest.mark.parametrize("header", ['"nope"', "{br_tag}", "{tag_without_quotes}", '"nope", garbage {tag}', ""])
def test_a_tag_that_does_not_match_gets_the_file(srv, header):
    tag = etag(srv, ASSET, "gzip")
    br_tag = etag(srv, ASSET, "br")  # another representation of the same file
    value = header.format(br_tag=br_tag, tag_without_quotes=tag.strip('"'), tag=tag)
    status, headers, body = get(srv, ASSET, "gzip", extra=f"If-None-Match: {value}\r\n")
    assert status == 200, value
    assert gzip.decompress(body) == JS
    assert headers["etag"] == tag


def test_the_app_page_revalidates(srv, dist):
    status, headers, _ = get(srv, "/appointments/7", "br")
    tag = headers["etag"]
    assert get(srv, "/", "br", extra=f"If-None-Match: {tag}\r\n")[0] == 304
    status, headers, _ = get(srv, "/appointments/7", "br", extra=f"If-None-Match: {tag}\r\n")
    assert (status, headers["cache-control"], headers["vary"]) == (304, "no-cache", "Accept-Encoding")
    # A new build: the page's tag changes, and the old one no longer matches.
    (dist / "index.html").write_bytes(HTML.replace(b"slotlock", b"slotlock 2"))
    precompress(dist / "index.html")
    status, headers, body = get(srv, "/", "br", extra=f"If-None-Match: {tag}\r\n")
    assert status == 200 and headers["etag"] != tag
    assert decode(body, "br") in (HTML.replace(b"slotlock", b"slotlock 2"), None)


# -- security headers -------------------------------------------------------------------------------

def test_every_kind_of_answer_carries_the_security_headers(srv):
    tag = etag(srv, ASSET, "br")
    token = srv.token("alice")
    answers = {
        "static br": get(srv, ASSET, "br"),
        "static identity": get(srv, ASSET),
        "static HEAD": get(srv, ASSET, "gzip", method="HEAD"),
        "304": get(srv, ASSET, "br", extra=f"If-None-Match: {tag}\r\n"),
        "app page": get(srv, "/appointments/1", "br"),
        "source map 404": get(srv, "/assets/app-3f9a1c.js.map"),
        "api": get(srv, "/api/me", extra=f"Authorization: Bearer {token}\r\n"),
        "api error": get(srv, "/api/appointments/nope", extra=f"Authorization: Bearer {token}\r\n"),
        "api 401": get(srv, "/api/me"),
        "api 404": get(srv, "/api/nothing"),
        "healthz": get(srv, "/healthz"),
        "metrics": get(srv, "/metrics"),
        "readyz": get(srv, "/readyz"),
    }
    for what, (status, headers, _) in answers.items():
        assert_security_headers(headers, f"{what} ({status})")
        assert headers["referrer-policy"] == "same-origin", what
        # ... and the request's id, static files and their 304s included.
        assert re.fullmatch(r"[0-9a-f]{24}", headers.get("x-request-id", "")), (what, headers)


@pytest.mark.parametrize("version,expected", [("13", 101), ("8", 426)])
def test_websocket_handshakes_carry_the_security_headers(srv, version, expected):
    """The 101, and the answer Beast writes itself for an upgrade it cannot take."""
    token = srv.token("alice")
    appointment = srv.api("GET", "/api/appointments", token=token)[2]["items"][0]["id"]
    ticket = srv.api("POST", "/api/ws-tickets", token=token)[2]["ticket"]
    with connect(srv) as s:
        s.sendall(raw_request("GET", f"/api/appointments/{appointment}/updates?ticket={ticket}&sessionId=tab-1",
                              host=f"127.0.0.1:{srv.port}",
                              extra="Connection: Upgrade\r\nUpgrade: websocket\r\n"
                                    f"Sec-WebSocket-Version: {version}\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
        status, headers, _ = RawReader(s).response(head=True)
    assert status == expected
    assert_security_headers(headers, f"WebSocket handshake ({status})")
    assert re.fullmatch(r"[0-9a-f]{24}", headers.get("x-request-id", "")), headers  # Beast's own 426 too


# -- the real build -----------------------------------------------------------------------------------

WEB_DIST = REPO / "web" / "dist"
needs_build = pytest.mark.skipif(not (WEB_DIST / "index.html").exists(),
                                 reason="web/dist is not built (cd web && npm run build)")


@needs_build
def test_the_built_app_is_served_precompressed_and_cached(server_factory):
    srv = server_factory("--static", str(WEB_DIST))
    status, headers, body = get(srv, "/", "gzip")
    assert status == 200 and headers["content-encoding"] == "gzip", \
        "web/dist has no index.html.gz: rebuild it with `npm run build`"
    page = gzip.decompress(body)
    assert page == (WEB_DIST / "index.html").read_bytes()
    # The page runs no inline script, which the CSP (script-src 'self') would block.
    scripts = re.findall(rb"<script\b[^>]*>(.*?)</script>", page, re.S)
    assert all(not s.strip() for s in scripts), "an inline script in index.html"
    assets = re.findall(rb'(?:src|href)="(/assets/[^"]+)"', page)
    assert assets, page[:500]
    for asset in {a.decode() for a in assets}:
        status, headers, body = get(srv, asset, "br, gzip")
        assert status == 200, asset
        assert headers["cache-control"] == IMMUTABLE, asset
        original = (WEB_DIST / asset.lstrip("/")).read_bytes()
        if headers.get("content-encoding") == "br":
            assert decode(body, "br", WEB_DIST / (asset.lstrip("/") + ".br")) in (original, None)
        else:
            assert asset.endswith((".png", ".woff2")), f"{asset} was sent uncompressed"
        assert_security_headers(headers, asset)
    for path in ("/", *{a.decode() for a in assets}):
        for suffix in (".gz", ".br", ".map"):
            assert get(srv, path.rstrip("/") + suffix if path != "/" else "/index.html" + suffix)[0] == 404


@needs_build
def test_the_built_app_ships_no_source_maps():
    assert not list(WEB_DIST.rglob("*.map"))
    for f in WEB_DIST.rglob("*.js"):
        assert b"sourceMappingURL" not in f.read_bytes(), f
