"""Real triple stores for the tests, and the comparison of their answers with the embedded store.

Oxigraph server (the `oxigraph` package in the test extra) and Virtuoso 7 (Debian's
virtuoso-opensource-7-bin, installed with apt-get when missing and the tests run as root) are
started on 127.0.0.1 with their data in a temporary folder, and stopped afterwards.

Answers are compared as multisets of solutions, after the differences that are the stores'
right and not ours to fix: numbers compare by value within their datatype (Virtuoso writes 12.50 as
12.5), and blank nodes by position only (their labels are the store's own). One more is
allowed only where a test asks for it: Virtuoso stores an integral xsd:decimal that arrives by
SPARQL Update (16300) as an xsd:integer.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph
import pytest

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
RESULTS_JSON = "application/sparql-results+json"
VIRTUOSO_PACKAGE = "virtuoso-opensource-7-bin"  # virtuoso-t and isql-vt, without the system service
RESULT_SET_MAX_ROWS = 100_000  # Virtuoso's stock 10,000 would cut answers short without a word


# --- processes ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: Path
    base: str  # http://127.0.0.1:PORT

    def wait_until_up(self, probe: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{log_tail(self.log)}")
            try:
                if httpx.get(self.base + probe, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {seconds:.0f} s:\n{log_tail(self.log)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start(name: str, command: list[str], log: Path, port: int, probe: str, seconds: float, cwd: Path | None = None) -> Server:
    handle = open(log, "wb")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
    handle.close()
    server = Server(name, process, log, f"http://127.0.0.1:{port}")
    server.wait_until_up(probe, seconds)
    return server


# --- Oxigraph -------------------------------------------------------------------------------

def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` command is missing: it comes with the test extra (make test, or pip install -e '.[test]')")
    return found


def start_oxigraph(folder: Path) -> Server:
    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    return start("oxigraph", command, folder / "oxigraph.log", port, "/query?query=ASK%7B%7D", 30)


# --- Virtuoso -------------------------------------------------------------------------------

def _virtuoso_commands() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


def ensure_virtuoso() -> tuple[str, str]:
    """virtuoso-t and isql-vt, installed with apt-get if need be; skips (fails on CI) where it cannot."""
    found = _virtuoso_commands()
    if found:
        return found
    if os.geteuid() != 0:
        reason = "Virtuoso 7 is not installed, and the tests do not run as root to apt-get install it"
    elif not shutil.which("apt-get"):
        reason = "Virtuoso 7 is not installed, and there is no apt-get to install it with"
    else:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=120", "--no-install-recommends", VIRTUOSO_PACKAGE]
        result = subprocess.run(install, env=env, capture_output=True, text=True)
        if result.returncode != 0:  # a fresh machine's package lists may be missing or stale
            subprocess.run(["apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=120"], env=env, capture_output=True)
            result = subprocess.run(install, env=env, capture_output=True, text=True)
        found = _virtuoso_commands()
        if found:
            return found
        said = " ".join((result.stderr or result.stdout).split())[-400:]
        reason = f"`apt-get install {VIRTUOSO_PACKAGE}` failed: {said}"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs as root and must run the Virtuoso tests)")
    pytest.skip(reason)


def virtuoso_ini(folder: Path, http_port: int, sql_port: int, dirs_allowed: list[Path]) -> str:
    db = folder / "db"
    return f"""\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {", ".join(str(d) for d in dirs_allowed)}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {RESULT_SET_MAX_ROWS}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


class Virtuoso:
    """A throwaway Virtuoso: its own database in ``folder``, dba/dba, ports on 127.0.0.1."""

    def __init__(self, folder: Path, load_folder: Path):
        self.server_command, self.isql_command = ensure_virtuoso()
        self.folder = folder
        self.load_folder = load_folder
        (folder / "db").mkdir(parents=True)
        (folder / "vsp").mkdir()
        self.http_port, self.sql_port = free_port(), free_port()
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(virtuoso_ini(folder, self.http_port, self.sql_port, [folder, load_folder]))
        self.server: Server | None = None

    def start(self) -> Server:
        command = [self.server_command, "+foreground", "+configfile", str(self.ini)]
        self.server = start("virtuoso", command, self.folder / "virtuoso.out", self.http_port,
                            "/sparql?query=ASK%7B%7D", 120, cwd=self.folder / "db")
        return self.server

    def isql(self, sql: str) -> str:
        """Run SQL statements through isql; its exit code is 0 even on errors, so read the output."""
        result = subprocess.run(
            [self.isql_command, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF",
             "PROMPT=OFF", "ECHO=OFF", "ERRORS=stdout", f"exec={sql}"],
            capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or "*** Error" in result.stdout:
            raise AssertionError(f"isql failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def bulk_load(self, files: dict[str, str]) -> list[str]:
        """ld_dir each file (name -> graph for files without graphs), rdf_loader_run(), checkpoint.

        Returns the loader's errors, which it keeps only in DB.DBA.LOAD_LIST.ll_error.
        """
        steps = [f"ld_dir('{self.load_folder}', '{name}', '{graph}');" for name, graph in files.items()]
        self.isql(" ".join(steps) + " rdf_loader_run(); checkpoint;")
        listed = self.isql("SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state = 2;").split()
        errors = self.isql("SELECT ll_file || ': ' || ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        problems = [line.strip() for line in errors.splitlines() if line.strip()]
        if listed != [str(len(files))]:
            problems.append(f"the loader finished {listed} files of {len(files)}")
        return problems

    def stop(self) -> None:
        if self.server:
            self.server.stop()


# --- answers --------------------------------------------------------------------------------

def remote_query(url: str, query: str, graph: str | None, auth=None) -> dict | list:
    """A query's answer from a remote store, with ``graph`` as the default graph (as FROM would);
    without one, the store's own dataset (whose default graph may hold anything: Virtuoso's holds
    its system graphs).

    JSON results for SELECT and ASK; a list of triples (as JSON-results terms) for CONSTRUCT.
    """
    accept = "application/n-triples" if _form(query) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
    form = {"query": query, **({"default-graph-uri": graph} if graph else {})}
    response = httpx.post(url, data=form, headers={"Accept": accept},
                          auth=auth, timeout=60)
    assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
    if accept == RESULTS_JSON:
        return response.json()
    return [tuple(term_json(t) for t in (q.subject, q.predicate, q.object))
            for q in pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def embedded_query(store: pyoxigraph.Store, query: str) -> dict | list:
    result = store.query(query)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"head": {}, "boolean": bool(result)}
    if isinstance(result, pyoxigraph.QuerySolutions):
        return json.loads(result.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
    return [tuple(term_json(t) for t in (t.subject, t.predicate, t.object)) for t in result]


def _form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them after the prologue."""
    text = re.sub(r"#[^\n]*", "", query)
    text = re.sub(r"<[^>]*>", "<>", text)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def term_json(term) -> dict:
    """A pyoxigraph term as SPARQL JSON results write one."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def canonical(
    term: dict | None,
    integral_decimals_as_integers: bool = False,
    year_months_as_years: bool = False,
    booleans_as_integers: bool = False,
) -> tuple:
    """A term reduced to what must agree across stores; the flags allow Virtuoso's known
    rewrites (after SPARQL Update, whole decimals stored as integers and a gYearMonth cut to its
    gYear; computed booleans answered as 1/0)."""
    if term is None:
        return ("unbound",)
    kind = term["type"]
    if kind == "uri":
        return ("uri", term["value"])
    if kind == "bnode":
        return ("bnode",)
    if term.get("xml:lang"):
        # exactly: the dumps write every tag in lower case, the form every store keeps
        return ("literal", term["value"], "@" + term["xml:lang"])
    datatype = term.get("datatype", XSD + "string")
    if year_months_as_years and datatype == XSD + "gYearMonth":
        return ("literal", term["value"].split("-")[0], XSD + "gYear")
    if booleans_as_integers and datatype == XSD + "boolean":
        return ("number", XSD + "integer", Decimal(1 if term["value"] in ("true", "1") else 0))
    if datatype in NUMERIC:
        try:
            value = Decimal(term["value"]).normalize()
        except InvalidOperation:
            pass
        else:
            if integral_decimals_as_integers and datatype == XSD + "decimal" and value == value.to_integral_value():
                datatype = XSD + "integer"
            return ("number", datatype, value)
    return ("literal", term["value"], datatype)


def answer_multiset(answer: dict | list, **loose) -> Counter:
    if isinstance(answer, list):  # triples
        return Counter(tuple(canonical(t, **loose) for t in triple) for triple in answer)
    if "boolean" in answer:
        return Counter({("boolean", answer["boolean"]): 1})
    names = answer["head"]["vars"]
    return Counter(tuple(canonical(row.get(n), **loose) for n in names) for row in answer["results"]["bindings"])


def rows(answer: dict | list) -> int:
    if isinstance(answer, list):
        return len(answer)
    return 1 if "boolean" in answer else len(answer["results"]["bindings"])


def differences(expected: dict | list, actual: dict | list, limit: int = 5, **loose) -> list[str]:
    """What one answer has that the other lacks, as readable lines; [] when they agree.

    ``integral_decimals_as_integers=True`` allows Virtuoso's rewrite after SPARQL Update.
    """
    if isinstance(expected, dict) and isinstance(actual, dict) and "boolean" not in expected:
        if expected["head"]["vars"] != actual["head"]["vars"]:
            return [f"variables differ: {expected['head']['vars']} vs {actual['head']['vars']}"]
    if rows(actual) >= RESULT_SET_MAX_ROWS:
        return [f"{rows(actual)} rows: the store's ResultSetMaxRows ({RESULT_SET_MAX_ROWS}) cut the answer short"]
    want, got = answer_multiset(expected, **loose), answer_multiset(actual, **loose)
    missing, extra = want - got, got - want
    out = [f"missing: {row}" for row in list(missing.elements())[:limit]]
    out += [f"unexpected: {row}" for row in list(extra.elements())[:limit]]
    if out:
        out.insert(0, f"{rows(expected)} rows expected, {rows(actual)} answered; {sum(missing.values())} missing, {sum(extra.values())} unexpected")
    return out


# --- a proxy that fails on purpose ------------------------------------------------------------

class FlakyProxy:
    """An HTTP proxy on 127.0.0.1 in front of a real store, failing the requests ``plan`` picks.

    ``plan(number, method, path, body)`` returns "pass" (forward), an HTTP status to answer
    instead, "drop" (close the connection unanswered), "pass-then-drop" (forward, then close
    unanswered: the store did the work but its answer is lost) or a number of seconds as a
    float (close unanswered now, forward that much later: the store is still at work).
    """

    def __init__(self, upstream: str, plan=lambda *request: "pass", basic_auth: tuple[str, str] | None = None):
        """``basic_auth``: (user, password) the proxy asks for with HTTP basic authentication."""
        proxy = self
        self.upstream, self.plan, self.seen, self.pending = upstream, plan, [], []
        self.authorizations: list[str | None] = []  # the Authorization header of each request
        expected = "Basic " + base64.b64encode(f"{basic_auth[0]}:{basic_auth[1]}".encode()).decode() if basic_auth else None
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.authorizations.append(self.headers.get("Authorization"))
                if expected and self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="dangjian-test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with proxy.lock:
                    proxy.seen.append((self.command, self.path))
                    action = proxy.plan(len(proxy.seen), self.command, self.path, body)
                if action == "drop":
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
                if isinstance(action, float):
                    self.close_connection = True
                    later = threading.Timer(action, lambda: httpx.request(self.command, proxy.upstream + self.path, content=body, headers=headers, timeout=60))
                    proxy.pending.append(later)
                    later.start()
                    return
                if isinstance(action, int):
                    self.send_response(action)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer = httpx.request(self.command, proxy.upstream + self.path, content=body, headers=headers, timeout=60)
                if action == "pass-then-drop":
                    self.close_connection = True
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = relay

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FlakyProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        for later in self.pending:
            later.join(30)
        self.server.shutdown()
        self.server.server_close()


# --- Jena (ARQ, as a command) ------------------------------------------------------------------

JENA_PACKAGE = "libapache-jena-java"  # Jena 4 as jars in /usr/share/java; no scripts
JENA_JARS = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
             "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core", "jackson-databind",
             "jackson-annotations", "jsonld-java", "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld",
             "jakarta.json-api")


def jena_classpath(folder: Path) -> str:
    """The classpath for Jena's commands (arq.sparql, riotcmd.riot), installed with apt-get when
    missing; skips where it cannot be. Debian's jena-core moves Xerces to the package `xerces`
    but leaves its message files under org/apache/jena/ext/xerces, and Jena then fails to start
    ("internal error" in XSSimpleTypeDecl): the files are copied where the classes look."""
    jars = Path("/usr/share/java")
    if not shutil.which("java"):
        pytest.skip("no java to run Jena with")
    if not (jars / "jena-arq.jar").is_file():
        from linked import install

        reason = install(JENA_PACKAGE)
        if reason or not (jars / "jena-arq.jar").is_file():
            print(f"Jena checks skipped: {reason}")
            pytest.skip(reason or f"{JENA_PACKAGE} installed no jena-arq.jar")
    fix = folder / "jena-xerces-messages"
    if not fix.exists():
        import zipfile

        with zipfile.ZipFile(jars / "jena-core.jar") as archive:
            for name in archive.namelist():
                if name.startswith("org/apache/jena/ext/xerces/") and not name.endswith("/"):
                    target = fix / name.removeprefix("org/apache/jena/ext/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
    parts = sorted(str(p) for p in jars.glob("jena-*.jar") if not re.search(r"-\d", p.name))
    parts += [str(jars / f"{name}.jar") for name in JENA_JARS if (jars / f"{name}.jar").is_file()]
    return ":".join([*parts, str(fix)])


def jena_select(classpath: str, data: list[Path], query: str) -> dict:
    """A SELECT's answer from Jena's ARQ over files, as SPARQL JSON results."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".rq", encoding="utf-8") as text:
        text.write(query)
        text.flush()
        command = ["java", "-cp", classpath, "arq.sparql", "--results=json", f"--query={text.name}"]
        command += [f"--data={path}" for path in data]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
