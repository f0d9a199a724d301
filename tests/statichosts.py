"""The exported static site under real web servers: nginx and Apache (Debian's packages, installed
with apt-get when missing; skipped, saying why, where they cannot be), each run as a foreground
process on a free port of 127.0.0.1 with its own configuration and files in a temporary folder,
and stopped afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from linked import free_port, install

APACHE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "filter", "deflate")
MODULES = Path("/usr/lib/apache2/modules")


class Host:
    def __init__(self, name: str, process: subprocess.Popen, port: int, folder: Path, log: Path):
        self.name, self.process, self.port, self.folder, self.log = name, process, port, folder, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, seconds: float = 30) -> "Host":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                httpx.get(self.base + "/index.html", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        said = self.log_tail()
        self.stop()
        pytest.fail(f"{self.name} did not start:\n{said}")

    def log_tail(self) -> str:
        texts = [p.read_text(errors="replace")[-3000:] for p in (self.log, self.folder / "error.log") if p.is_file()]
        return "\n".join(texts)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _binary(names: tuple[str, ...], package: str) -> str:
    def found():
        return next((shutil.which(n) or (n if Path(n).is_file() else None) for n in names
                     if shutil.which(n) or Path(n).is_file()), None)

    binary = found()
    if binary is None:
        reason = install(package)
        binary = found()
        if binary is None:
            reason = reason or f"{package} installed no {names[0]}"
            print(f"static-site checks under {package} skipped: {reason}")
            pytest.skip(reason)
    return binary


def _readable_copy(site: Path) -> Path:
    """The site copied (file times kept: they are Last-Modified) into a folder any user may read,
    so that a server started as root may serve it as an unprivileged user."""
    folder = Path(tempfile.mkdtemp(prefix="dangjian-host-"))
    folder.chmod(0o755)
    shutil.copytree(site, folder / "site")
    return folder


def start_nginx(site: Path) -> Host:
    binary = _binary(("nginx", "/usr/sbin/nginx"), "nginx-light")
    folder = _readable_copy(site)
    port = free_port()
    rules = (folder / "site" / "nginx.conf").read_text()
    rules = rules.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("root /srv/dangjian/site;", f"root {folder / 'site'};")
    (folder / "site.conf").write_text(rules)
    temp = folder / "temp"
    temp.mkdir()
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{ access_log off; client_body_temp_path {temp}; proxy_temp_path {temp}; fastcgi_temp_path {temp};"
        f" uwsgi_temp_path {temp}; scgi_temp_path {temp}; include {folder}/site.conf; }}\n")
    log = folder / "nginx.out"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-p", str(folder)], stdout=out, stderr=subprocess.STDOUT)
    return Host("nginx", process, port, folder, log).wait()


def start_apache(site: Path) -> Host:
    binary = _binary(("apache2", "/usr/sbin/apache2"), "apache2")
    missing = [m for m in APACHE_MODULES if not (MODULES / f"mod_{m}.so").is_file()]
    if missing:
        pytest.skip(f"Apache modules missing: {', '.join(missing)}")
    folder = _readable_copy(site)
    port = free_port()
    root = folder / "site"
    user = ""
    if os.geteuid() == 0:  # Apache will not serve as root: it switches to this user
        user = "User www-data\nGroup www-data\n"
    modules = "".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so\n" for m in APACHE_MODULES)
    (folder / "httpd.conf").write_text(
        f"ServerRoot {folder}\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {folder}/httpd.pid\n"
        f"ErrorLog {folder}/error.log\nLogLevel warn\n{user}{modules}TypesConfig /dev/null\n"
        f"StartServers 1\nServerLimit 1\nThreadsPerChild 16\nMaxRequestWorkers 16\n"
        f"DocumentRoot {root}\n<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n"
        f"<Directory {root}>\n  AllowOverride All\n  Require all granted\n  MaxRanges 1\n</Directory>\n")
    log = folder / "apache.out"
    env = {**os.environ, "APACHE_RUN_DIR": str(folder), "APACHE_LOCK_DIR": str(folder), "APACHE_LOG_DIR": str(folder)}
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "-f", str(folder / "httpd.conf"), "-DFOREGROUND"], stdout=out,
                                   stderr=subprocess.STDOUT, env=env)
    return Host("apache", process, port, folder, log).wait()
